package dev.freshen.docker;

import dev.freshen.events.FailureKind;

/** A build that did not produce an image: permanent (the Dockerfile is wrong) or transient (the engine is not there). */
public class BuildFailure extends RuntimeException {

    private final FailureKind kind;

    public BuildFailure(FailureKind kind, String reason, Throwable cause) {
        super(reason, cause);
        this.kind = kind;
    }

    public static BuildFailure permanent(String reason) {
        return new BuildFailure(FailureKind.PERMANENT, reason, null);
    }

    public static BuildFailure transientFailure(String reason, Throwable cause) {
        return new BuildFailure(FailureKind.TRANSIENT_EXHAUSTED, reason, cause);
    }

    public FailureKind kind() {
        return kind;
    }
}
