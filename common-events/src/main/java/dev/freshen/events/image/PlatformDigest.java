package dev.freshen.events.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.UnknownFields;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One platform's image manifest in a multi-platform image: the {@code platform} its OCI image index entry names and
 * the {@code digest} of that entry's image manifest. Wire form: {@code {"platform":"linux/arm64","digest":"sha256:…"}}.
 * Fields a newer writer added are kept in {@link #unknownFields()} and written out again.
 */
public record PlatformDigest(Platform platform, Digest digest, @JsonAnySetter Map<String, JsonNode> unknownFields) {

    public PlatformDigest {
        Objects.requireNonNull(platform, "PlatformDigest: field 'platform' is required");
        Objects.requireNonNull(digest, "PlatformDigest: field 'digest' is required");
        unknownFields = UnknownFields.copyOf(unknownFields);
    }

    /** A platform's manifest with only the fields this version knows. */
    public PlatformDigest(Platform platform, Digest digest) {
        this(platform, digest, Map.of());
    }

    /**
     * The manifests of a multi-platform image as events carry them: empty for none, else two or more, each platform
     * once, in index order.
     *
     * @throws IllegalArgumentException naming {@code event} when a list has one entry or names a platform twice
     */
    public static List<PlatformDigest> checked(List<PlatformDigest> manifests, String event) {
        if (manifests == null || manifests.isEmpty()) {
            return List.of();
        }
        if (manifests.size() == 1) {
            throw new IllegalArgumentException(event + ": field 'manifests' lists one platform (" + manifests.get(0)
                    .platform() + "); a single-platform image has no manifests list");
        }
        if (manifests.stream().map(PlatformDigest::platform).distinct().count() != manifests.size()) {
            throw new IllegalArgumentException(event + ": field 'manifests' names a platform twice: " + manifests);
        }
        return List.copyOf(manifests);
    }

    /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> unknownFields() {
        return unknownFields;
    }
}
