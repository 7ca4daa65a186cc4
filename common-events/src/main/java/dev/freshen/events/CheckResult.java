package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.image.Platform;

import java.util.Map;

/**
 * The outcome of one policy check or test step run against a candidate. {@code platform} names the platform whose
 * image of a multi-platform candidate it ran on ({@code linux/arm64}); {@code null} (not written) otherwise. Fields a newer writer added are kept in
 * {@link #unknownFields()} (see the package description), so a stored {@code ImageVerified} answered again keeps them.
 */
public record CheckResult(String name, boolean passed, String detail, Platform platform,
                          @JsonAnySetter Map<String, JsonNode> unknownFields) {

    public CheckResult {
        Require.present(name, "CheckResult", "name");
        unknownFields = UnknownFields.copyOf(unknownFields);
    }

    /** A result that is not about one platform, with fields a newer writer added. */
    public CheckResult(String name, boolean passed, String detail, Map<String, JsonNode> unknownFields) {
        this(name, passed, detail, null, unknownFields);
    }

    /** A result with only the fields this version knows, not about one platform. */
    public CheckResult(String name, boolean passed, String detail) {
        this(name, passed, detail, null, Map.of());
    }

    /** This result about {@code p}'s image of a multi-platform candidate ({@code null}: not per platform). */
    public CheckResult withPlatform(Platform p) {
        return new CheckResult(name, passed, detail, p, unknownFields);
    }

    /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> unknownFields() {
        return unknownFields;
    }
}
