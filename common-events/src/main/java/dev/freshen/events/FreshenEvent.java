package dev.freshen.events;

import java.time.Instant;

/**
 * What every event says: which run ({@code runId}), which platform image ({@code imageId}, also the Kafka key),
 * which attempt of its stage, and when it happened. {@link ImageWatchChanged}, {@link RollbackRequested},
 * {@link ImageRolledBack}, {@link ChecksFailed} and {@link ChecksRecovered} are about an image, not a run: their
 * {@code runId} identifies the change, the rollback or the streak of failed checks
 * ({@link EventType#isRunEvent()} tells the two apart).
 *
 * <p>Events evolve by addition: a new optional field, a new field in a nested value, a new value of
 * {@link FailureKind}, {@link Stage}, {@link Trigger.Kind} or {@link WatchState} is never breaking, because readers are tolerant (see
 * the package description): a reader one version behind ignores an unknown event field, keeps and passes on the
 * unknown fields of the nested values it copies, and reads an unknown value as "other". Only a breaking change
 * (removing or renaming a field, changing its meaning or type, making an optional field required) bumps the
 * type's version in {@link EventType}.
 */
public sealed interface FreshenEvent
        permits BaseImageUpdated, ForceUpdateRequested, ImageBuilt, ImageVerified, ImagePublished, PipelineFailed,
        ImageWatchChanged, RollbackRequested, ImageRolledBack, ChecksFailed, ChecksRecovered {

    String runId();

    String imageId();

    int attempt();

    Instant occurredAt();

    default EventType type() {
        return EventType.of(getClass());
    }
}
