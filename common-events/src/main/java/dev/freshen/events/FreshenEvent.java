package dev.freshen.events;

import java.time.Instant;

/**
 * What every event says: which run ({@code runId}), which platform image ({@code imageId}, also the Kafka key),
 * which attempt of its stage, and when it happened.
 */
public sealed interface FreshenEvent
        permits BaseImageUpdated, ForceUpdateRequested, ImageBuilt, ImageVerified, ImagePublished, PipelineFailed {

    String runId();

    String imageId();

    int attempt();

    Instant occurredAt();

    default EventType type() {
        return EventType.of(getClass());
    }
}
