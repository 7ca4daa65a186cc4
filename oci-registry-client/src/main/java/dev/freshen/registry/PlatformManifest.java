package dev.freshen.registry;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;

import java.util.List;
import java.util.Objects;

/**
 * Where a tag points for one platform: the digest the tag names ({@code tagDigest}: an image index or, for a
 * single-platform image, the image manifest itself) and the digest of {@code platform}'s image manifest
 * ({@code digest}; equal to {@code tagDigest} for a single-platform image).
 *
 * @param reference the tag asked for
 * @param platforms every platform the tag names an image for, in index order (attestations and
 *                  {@code unknown/unknown} entries left out)
 */
public record PlatformManifest(ImageReference reference, Digest tagDigest, Platform platform, Digest digest,
                               List<Platform> platforms) {

    public PlatformManifest {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(tagDigest, "tagDigest");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(digest, "digest");
        platforms = List.copyOf(platforms);
    }

    /** Whether the tag names an image index (several platforms), not a single image manifest. */
    public boolean isIndex() {
        return !tagDigest.equals(digest);
    }
}
