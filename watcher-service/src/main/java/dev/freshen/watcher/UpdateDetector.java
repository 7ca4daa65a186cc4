package dev.freshen.watcher;

import dev.freshen.events.BaseImage;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares content digests, never dates: a platform image must be rebuilt when it was never published, or when any
 * of its bases is upstream at a digest other than the one its newest published version was built from.
 */
public final class UpdateDetector {

    private UpdateDetector() {
    }

    /**
     * @param bases    the image's external bases, by tag, as its Dockerfile names them
     * @param upstream each base's current upstream digest
     * @param builtFrom the newest published version, if any
     */
    public static Decision decide(List<ImageReference> bases, Map<ImageReference, Digest> upstream,
                                  Optional<BuiltFrom> builtFrom) {
        List<BaseImage> baseImages = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (ImageReference base : bases) {
            Digest now = upstream.get(base);
            if (now == null) {
                throw new IllegalArgumentException("no upstream digest for " + base);
            }
            Digest before = builtFrom.map(b -> b.bases().get(base)).orElse(null);
            baseImages.add(new BaseImage(base, now, before));
            if (!now.equals(before)) {
                changes.add(base + " " + (before == null ? "(unknown)" : before.shortHex()) + " -> " + now.shortHex());
            }
        }
        if (builtFrom.isEmpty()) {
            return new Decision.Rebuild(baseImages, "never published");
        }
        if (changes.isEmpty()) {
            return new Decision.UpToDate();
        }
        return new Decision.Rebuild(baseImages, String.join(", ", changes));
    }
}
