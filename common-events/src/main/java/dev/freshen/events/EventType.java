package dev.freshen.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * Each event: its record, its topic and its CloudEvents type ({@code dev.freshen.<event>.v1}).
 *
 * <p>The version at the end of the type changes only for a breaking change of the event (removing or renaming a
 * field, changing a field's meaning or type, making an optional field required); adding fields or enum values never
 * changes it. A new version is a new type on the same topic, so one image's events stay in order on one partition;
 * readers that understand it are deployed before any writer uses it, and a reader that meets a type it does not
 * know (another event, or {@code .v2} before it was deployed) rejects the record to its dead-letter topic, from
 * where it can be replayed once the reader is upgraded. See {@code docs/events.md}.
 */
public enum EventType {
    BASE_IMAGE_UPDATED(BaseImageUpdated.class, Topics.BASE_IMAGE_UPDATED, "dev.freshen.base-image-updated.v1"),
    FORCE_UPDATE_REQUESTED(ForceUpdateRequested.class, Topics.FORCE_UPDATE, "dev.freshen.force-update-requested.v1"),
    IMAGE_BUILT(ImageBuilt.class, Topics.IMAGE_BUILT, "dev.freshen.image-built.v1"),
    IMAGE_VERIFIED(ImageVerified.class, Topics.IMAGE_VERIFIED, "dev.freshen.image-verified.v1"),
    IMAGE_PUBLISHED(ImagePublished.class, Topics.IMAGE_PUBLISHED, "dev.freshen.image-published.v1"),
    PIPELINE_FAILED(PipelineFailed.class, Topics.PIPELINE_FAILED, "dev.freshen.pipeline-failed.v1"),
    /** Not a run's event: an image's watch state changed (see {@link #isRunEvent()}). */
    IMAGE_WATCH_CHANGED(ImageWatchChanged.class, Topics.IMAGE_WATCH_CHANGED, "dev.freshen.image-watch-changed.v1"),
    /** Not a run's event: an operator asked for a rollback (see {@link #isRunEvent()}). */
    ROLLBACK_REQUESTED(RollbackRequested.class, Topics.ROLLBACK_REQUESTED, "dev.freshen.rollback-requested.v1"),
    /** Not a run's event: an image's moving tags were moved back (see {@link #isRunEvent()}). */
    IMAGE_ROLLED_BACK(ImageRolledBack.class, Topics.IMAGE_ROLLED_BACK, "dev.freshen.image-rolled-back.v1"),
    /** Not a run's event: an image's checks failed a number of cycles in a row (see {@link #isRunEvent()}). */
    CHECKS_FAILED(ChecksFailed.class, Topics.CHECKS_FAILED, "dev.freshen.checks-failed.v1"),
    /** Not a run's event: an image's checks pass again after {@link #CHECKS_FAILED} (see {@link #isRunEvent()}). */
    CHECKS_RECOVERED(ChecksRecovered.class, Topics.CHECKS_RECOVERED, "dev.freshen.checks-recovered.v1");

    private final Class<? extends FreshenEvent> recordType;
    private final String topic;
    private final String cloudEventType;

    EventType(Class<? extends FreshenEvent> recordType, String topic, String cloudEventType) {
        this.recordType = recordType;
        this.topic = topic;
        this.cloudEventType = cloudEventType;
    }

    public Class<? extends FreshenEvent> recordType() {
        return recordType;
    }

    public String topic() {
        return topic;
    }

    public String cloudEventType() {
        return cloudEventType;
    }

    /**
     * Whether events of this type belong to a pipeline run (trigger, stage events, outcome); false for
     * {@link #IMAGE_WATCH_CHANGED}, whose {@code runId} identifies a change of an image's watch state, and for
     * {@link #ROLLBACK_REQUESTED} and {@link #IMAGE_ROLLED_BACK}, whose {@code runId} identifies a rollback (a failed
     * rollback is a {@code PipelineFailed} with that id and trigger kind {@code rollback}), and for
     * {@link #CHECKS_FAILED} and {@link #CHECKS_RECOVERED}, whose {@code runId} identifies a streak of failed checks.
     */
    public boolean isRunEvent() {
        return this != IMAGE_WATCH_CHANGED && this != ROLLBACK_REQUESTED && this != IMAGE_ROLLED_BACK
                && this != CHECKS_FAILED && this != CHECKS_RECOVERED;
    }

    /** The run event types, in pipeline order. */
    public static java.util.List<EventType> runEvents() {
        return Arrays.stream(values()).filter(EventType::isRunEvent).toList();
    }

    public static EventType of(Class<? extends FreshenEvent> recordType) {
        return Arrays.stream(values()).filter(t -> t.recordType == recordType).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not an event record: " + recordType));
    }

    public static Optional<EventType> fromCloudEventType(String type) {
        return Arrays.stream(values()).filter(t -> t.cloudEventType.equals(type)).findFirst();
    }

    public static Optional<EventType> fromTopic(String topic) {
        return Arrays.stream(values()).filter(t -> t.topic.equals(topic)).findFirst();
    }
}
