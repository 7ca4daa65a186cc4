package dev.freshen.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of a nested value that this version does not know, kept as JSON so that a service copying the value
 * into its own event writes them out unchanged (see {@code docs/events.md}, "Tolerant readers").
 *
 * <p>The value types that services copy from one event to the next ({@link Trigger}, {@link BaseImage},
 * {@link StageTiming}, {@link CheckResult}) each have a last component {@code unknownFields}: filled by Jackson's
 * {@code @JsonAnySetter} on reading, written back by {@code @JsonAnyGetter} after the known fields, and empty (no
 * output at all) for values made in Java. It takes part in {@code equals} and {@code hashCode} like every record
 * component: a value that carries more than this version knows is not the same value as one that does not. Compare
 * the known components when that is what you mean.
 */
public final class UnknownFields {

    private UnknownFields() {
    }

    /** An unmodifiable copy ordered by name (stable output), with {@code null} values as JSON {@code null}. */
    public static Map<String, JsonNode> copyOf(Map<String, JsonNode> fields) {
        if (fields == null || fields.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, JsonNode> copy = new TreeMap<>();
        fields.forEach((name, value) -> copy.put(name, value == null ? NullNode.getInstance() : value));
        return Collections.unmodifiableMap(copy);
    }
}
