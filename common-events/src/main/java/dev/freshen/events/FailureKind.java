package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a failed run may succeed when retried unchanged. */
public enum FailureKind {
    /** The input is wrong (bad Dockerfile, failed test, invalid descriptor): retrying as is will fail again. */
    PERMANENT("permanent"),
    /** Something outside was unavailable (registry 5xx, daemon down) and the retries ran out. */
    TRANSIENT_EXHAUSTED("transient-exhausted");

    private final String id;

    FailureKind(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static FailureKind of(String id) {
        for (FailureKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown failure kind '" + id + "' (expected permanent or transient-exhausted)");
    }
}
