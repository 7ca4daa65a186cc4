package dev.freshen.events;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** Field checks shared by the event records; messages name the event and the field. */
final class Require {

    private static final Pattern RUN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{3,63}");

    private Require() {
    }

    static <T> T present(T value, String event, String field) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new IllegalArgumentException(event + ": field '" + field + "' is required");
        }
        return value;
    }

    static void envelope(String event, String runId, String imageId, int attempt, Instant occurredAt) {
        present(runId, event, "runId");
        if (!RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException(event + ": field 'runId' must be 4-64 lowercase letters, digits or '-', was '"
                    + runId + "'");
        }
        present(imageId, event, "imageId");
        try {
            ImageIds.validate(imageId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(event + ": field 'imageId': " + e.getMessage(), e);
        }
        if (attempt < 1) {
            throw new IllegalArgumentException(event + ": field 'attempt' must be at least 1, was " + attempt);
        }
        present(occurredAt, event, "occurredAt");
    }

    static <T> List<T> nonEmpty(List<T> values, String event, String field) {
        present(values, event, field);
        if (values.isEmpty()) {
            throw new IllegalArgumentException(event + ": field '" + field + "' must not be empty");
        }
        return List.copyOf(values);
    }

    static <T> List<T> listOrEmpty(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
