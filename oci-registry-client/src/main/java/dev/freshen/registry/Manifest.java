package dev.freshen.registry;

import dev.freshen.events.image.Digest;

import java.util.Arrays;
import java.util.Objects;

/**
 * A manifest or index exactly as a registry serves it: its media type, its bytes and their digest. The bytes are never
 * re-serialised, so putting a manifest elsewhere keeps its digest.
 *
 * @param digest the sha256 digest of {@code content}
 */
public record Manifest(String mediaType, byte[] content, Digest digest) {

    public Manifest {
        Objects.requireNonNull(mediaType, "mediaType");
        content = Objects.requireNonNull(content, "content").clone();
        Objects.requireNonNull(digest, "digest");
        Digest actual = Digests.of(digest.algorithm(), content);
        if (!actual.equals(digest)) {
            throw new IllegalArgumentException("manifest content has digest " + actual + ", not " + digest);
        }
    }

    /** A manifest of these bytes, with their sha256 digest. */
    public static Manifest of(String mediaType, byte[] content) {
        return new Manifest(mediaType, content, Digest.sha256Of(content));
    }

    /** Whether this is an OCI image index or a Docker manifest list (one manifest per platform). */
    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    /** A copy of the bytes. */
    @Override
    public byte[] content() {
        return content.clone();
    }

    int size() {
        return content.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Manifest m && mediaType.equals(m.mediaType) && digest.equals(m.digest)
                && Arrays.equals(content, m.content);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "Manifest[mediaType=" + mediaType + ", digest=" + digest + ", size=" + content.length + "]";
    }
}
