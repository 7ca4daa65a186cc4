package dev.freshen.events;

import java.util.Arrays;
import java.util.Optional;

/** Each event: its record, its topic and its CloudEvents type ({@code dev.freshen.<event>.v1}). */
public enum EventType {
    BASE_IMAGE_UPDATED(BaseImageUpdated.class, Topics.BASE_IMAGE_UPDATED, "dev.freshen.base-image-updated.v1"),
    FORCE_UPDATE_REQUESTED(ForceUpdateRequested.class, Topics.FORCE_UPDATE, "dev.freshen.force-update-requested.v1"),
    IMAGE_BUILT(ImageBuilt.class, Topics.IMAGE_BUILT, "dev.freshen.image-built.v1"),
    IMAGE_VERIFIED(ImageVerified.class, Topics.IMAGE_VERIFIED, "dev.freshen.image-verified.v1"),
    IMAGE_PUBLISHED(ImagePublished.class, Topics.IMAGE_PUBLISHED, "dev.freshen.image-published.v1"),
    PIPELINE_FAILED(PipelineFailed.class, Topics.PIPELINE_FAILED, "dev.freshen.pipeline-failed.v1");

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
