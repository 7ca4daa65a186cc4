package dev.freshen.watcher;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.Platform;

import java.util.Objects;

/**
 * Where one base tag points upstream now, for the platform an image is built for: the digest the tag names
 * ({@code tagDigest}: an image index, or the image manifest of a single-platform image) and the digest of that
 * platform's image manifest ({@code digest}), which is what a build is pinned to and what the watcher compares.
 */
public record Upstream(Platform platform, Digest tagDigest, Digest digest) {

    public Upstream {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(tagDigest, "tagDigest");
        Objects.requireNonNull(digest, "digest");
    }
}
