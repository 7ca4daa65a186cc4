package dev.freshen.publisher;

import dev.freshen.events.FailureKind;

/**
 * A publish step that did not work: permanent (permissions, validation, a candidate that is gone: retrying as is
 * fails again) or transient (registry 5xx, throttling, timeouts: worth another attempt). Messages name the registry,
 * repository and tag, and for AWS the error code, never credentials.
 */
public class PublishFailure extends RuntimeException {

    private final FailureKind kind;

    public PublishFailure(FailureKind kind, String reason, Throwable cause) {
        super(reason, cause);
        this.kind = kind;
    }

    public static PublishFailure permanent(String reason) {
        return new PublishFailure(FailureKind.PERMANENT, reason, null);
    }

    public static PublishFailure permanent(String reason, Throwable cause) {
        return new PublishFailure(FailureKind.PERMANENT, reason, cause);
    }

    public static PublishFailure transientFailure(String reason, Throwable cause) {
        return new PublishFailure(FailureKind.TRANSIENT_EXHAUSTED, reason, cause);
    }

    public FailureKind kind() {
        return kind;
    }

    public boolean isTransient() {
        return kind == FailureKind.TRANSIENT_EXHAUSTED;
    }
}
