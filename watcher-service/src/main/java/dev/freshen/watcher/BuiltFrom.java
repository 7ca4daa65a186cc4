package dev.freshen.watcher;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.util.Map;

/**
 * The newest published version of a platform image, read from the target registry: its version tag, its manifest
 * digest, and the digest of each base it was built from (from its labels; empty when it carries none).
 */
public record BuiltFrom(String versionTag, Digest digest, Map<ImageReference, Digest> bases) {

    public BuiltFrom {
        bases = Map.copyOf(bases);
    }
}
