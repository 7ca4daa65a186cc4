package dev.freshen.events;

import java.time.Instant;
import java.util.List;

/**
 * The watcher saw at least one external base of a platform image at a digest the current platform image
 * was not built from (or the image was never published). {@code contentHash} is the hash of descriptor and
 * Dockerfile that went into the deterministic {@code runId}.
 */
public record BaseImageUpdated(String runId, String imageId, int attempt, Instant occurredAt,
                               List<BaseImage> baseImages, String contentHash) implements FreshenEvent {

    public BaseImageUpdated {
        Require.envelope("BaseImageUpdated", runId, imageId, attempt, occurredAt);
        baseImages = Require.nonEmpty(baseImages, "BaseImageUpdated", "baseImages");
        Require.present(contentHash, "BaseImageUpdated", "contentHash");
    }
}
