package dev.freshen.events;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

/**
 * One external base of a platform image: the reference as written in its Dockerfile's FROM (by tag),
 * the upstream digest the run builds from, and the digest the current platform image was built from
 * ({@code null} when it was never published or nobody knows).
 */
public record BaseImage(ImageReference reference, Digest digest, Digest previousDigest) {

    public BaseImage {
        Require.present(reference, "BaseImage", "reference");
        Require.present(digest, "BaseImage", "digest");
        if (reference.isPinned()) {
            throw new IllegalArgumentException("BaseImage: field 'reference' is the tag reference from FROM, without digest: "
                    + reference);
        }
    }

    /** {@code reference@digest}: exactly what the run builds from. */
    public ImageReference pinned() {
        return reference.withDigest(digest);
    }

    public boolean changed() {
        return !digest.equals(previousDigest);
    }
}
