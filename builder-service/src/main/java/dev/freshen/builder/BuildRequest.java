package dev.freshen.builder;

import dev.freshen.events.BaseImage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.Trigger;

import java.time.Instant;
import java.util.List;

/**
 * What the builder is asked to do, whichever event asked: build platform image {@code imageId} for run
 * {@code runId}. {@code baseImages} is empty for a forced run until the current base digests are resolved.
 */
public record BuildRequest(String runId, String imageId, Trigger trigger, List<BaseImage> baseImages, Instant requestedAt) {

    public BuildRequest {
        baseImages = List.copyOf(baseImages);
    }

    public static BuildRequest of(BaseImageUpdated event) {
        return new BuildRequest(event.runId(), event.imageId(), event.trigger(), event.baseImages(),
                event.occurredAt());
    }

    public static BuildRequest of(ForceUpdateRequested event) {
        return new BuildRequest(event.runId(), event.imageId(), event.trigger(), List.of(), event.occurredAt());
    }
}
