package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;

import java.util.Map;

/**
 * One external base of a platform image: the reference as written in its Dockerfile's FROM (by tag),
 * the upstream digest the run builds from, and the digest the current platform image was built from
 * ({@code null} when it was never published or nobody knows), and, when the Dockerfile's reference carries a digest
 * too ({@code name:tag@sha256:…}, as Renovate and Dependabot commit it), that digest, which the run replaced by
 * {@code digest} ({@code null} for a reference by tag alone).
 *
 * <p>{@code platform} says which platform {@code digest} is the image manifest of: the watcher and the builder resolve
 * a tag that names an image index to the manifest of the platform the image is built for, so that a base whose other
 * platforms moved is no change, and the build is pinned to exactly that manifest. {@code null} in events written
 * before the field existed, where {@code digest} is whatever the tag named (index or manifest).
 *
 * <p>Every stage copies the run's bases into the event it writes; fields a newer writer added are kept in
 * {@link #unknownFields()} (see the package description).
 */
public record BaseImage(ImageReference reference, Digest digest, Digest previousDigest, Digest pinnedInDockerfile,
                        Platform platform, @JsonAnySetter Map<String, JsonNode> unknownFields) {

    public BaseImage {
        Require.present(reference, "BaseImage", "reference");
        Require.present(digest, "BaseImage", "digest");
        if (reference.isPinned()) {
            throw new IllegalArgumentException("BaseImage: field 'reference' is the tag reference from FROM, without digest: "
                    + reference);
        }
        unknownFields = UnknownFields.copyOf(unknownFields);
    }

    /** A base with only the fields this version knows. */
    public BaseImage(ImageReference reference, Digest digest, Digest previousDigest) {
        this(reference, digest, previousDigest, null, null, Map.of());
    }

    /** A base resolved for {@code platform}: {@code digest} is that platform's image manifest. */
    public BaseImage(ImageReference reference, Digest digest, Digest previousDigest, Platform platform) {
        this(reference, digest, previousDigest, null, platform, Map.of());
    }

    /** This base with the digest its Dockerfile reference was pinned to ({@code null}: written by tag alone). */
    public BaseImage withPinnedInDockerfile(Digest written) {
        return new BaseImage(reference, digest, previousDigest, written, platform, unknownFields);
    }

    /** {@code reference@digest}: exactly what the run builds from. */
    public ImageReference pinned() {
        return reference.withDigest(digest);
    }

    public boolean changed() {
        return !digest.equals(previousDigest);
    }

    /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> unknownFields() {
        return unknownFields;
    }
}
