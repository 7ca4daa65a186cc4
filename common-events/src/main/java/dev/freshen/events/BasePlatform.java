package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;

import java.util.Map;

/**
 * One platform of a base of a multi-platform image ({@link BaseImage#platforms()}): the image manifest the run builds
 * that platform from ({@code digest}) and the one the published image's child for that platform was built from
 * ({@code previousDigest}; {@code null} when that platform was never published or nobody knows). Wire form:
 * {@code {"platform":"linux/arm64","digest":"sha256:…","previousDigest":"sha256:…"}}. Fields a newer writer added are
 * kept in {@link #unknownFields()}.
 */
public record BasePlatform(Platform platform, Digest digest, Digest previousDigest,
                           @JsonAnySetter Map<String, JsonNode> unknownFields) {

    public BasePlatform {
        Require.present(platform, "BasePlatform", "platform");
        Require.present(digest, "BasePlatform", "digest");
        unknownFields = UnknownFields.copyOf(unknownFields);
    }

    /** A platform with only the fields this version knows. */
    public BasePlatform(Platform platform, Digest digest, Digest previousDigest) {
        this(platform, digest, previousDigest, Map.of());
    }

    /** Whether this platform's manifest moved since the published image was built (true when never published). */
    public boolean changed() {
        return !digest.equals(previousDigest);
    }

    /** {@code reference@digest}: exactly what this platform's build starts from. */
    public ImageReference pinned(ImageReference reference) {
        return reference.withDigest(digest);
    }

    /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> unknownFields() {
        return unknownFields;
    }
}
