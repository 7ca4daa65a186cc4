package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.util.Map;

/**
 * One external base of a platform image: the reference as written in its Dockerfile's FROM (by tag),
 * the upstream digest the run builds from, and the digest the current platform image was built from
 * ({@code null} when it was never published or nobody knows), and, when the Dockerfile's reference carries a digest
 * too ({@code name:tag@sha256:…}, as Renovate and Dependabot commit it), that digest, which the run replaced by
 * {@code digest} ({@code null} for a reference by tag alone). Every stage copies the run's bases into the event it
 * writes; fields a newer writer added are kept in {@link #unknownFields()} (see the package description).
 */
public record BaseImage(ImageReference reference, Digest digest, Digest previousDigest, Digest pinnedInDockerfile,
                        @JsonAnySetter Map<String, JsonNode> unknownFields) {

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
        this(reference, digest, previousDigest, null, Map.of());
    }

    /** This base with the digest its Dockerfile reference was pinned to ({@code null}: written by tag alone). */
    public BaseImage withPinnedInDockerfile(Digest written) {
        return new BaseImage(reference, digest, previousDigest, written, unknownFields);
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
