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
 * {@code definition} is the image's definition hash ({@code sha256:…}) the watcher derived the run from
 * ({@link BaseImageUpdated#definition()}); null for a forced run and for an update written before the field existed.
 */
public record BuildRequest(String runId, String imageId, Trigger trigger, List<BaseImage> baseImages, Instant requestedAt,
                           String definition) {

    public BuildRequest {
        baseImages = List.copyOf(baseImages);
    }

    /** A request without a definition hash to check (a forced run). */
    public BuildRequest(String runId, String imageId, Trigger trigger, List<BaseImage> baseImages, Instant requestedAt) {
        this(runId, imageId, trigger, baseImages, requestedAt, null);
    }

    public static BuildRequest of(BaseImageUpdated event) {
        return new BuildRequest(event.runId(), event.imageId(), event.trigger(), event.baseImages(),
                event.occurredAt(), event.definition());
    }

    public static BuildRequest of(ForceUpdateRequested event) {
        return new BuildRequest(event.runId(), event.imageId(), event.trigger(), List.of(), event.occurredAt());
    }
}
