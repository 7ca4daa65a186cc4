package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * The outcome of one policy check or test step run against a candidate. Fields a newer writer added are kept in
 * {@link #unknownFields()} (see the package description), so a stored {@code ImageVerified} answered again keeps them.
 */
public record CheckResult(String name, boolean passed, String detail,
                          @JsonAnySetter Map<String, JsonNode> unknownFields) {

    public CheckResult {
        Require.present(name, "CheckResult", "name");
        unknownFields = UnknownFields.copyOf(unknownFields);
    }

    /** A result with only the fields this version knows. */
    public CheckResult(String name, boolean passed, String detail) {
        this(name, passed, detail, Map.of());
    }

    /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> unknownFields() {
        return unknownFields;
    }
}
