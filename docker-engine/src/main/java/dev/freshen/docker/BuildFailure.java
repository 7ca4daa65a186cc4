package dev.freshen.docker;

import dev.freshen.events.FailureKind;

/**
 * An image that could not be built, pushed or pulled: permanent (the Dockerfile or the reference is wrong) or transient
 * (the engine or the registry is not there). {@link #code()} is the kind of problem as the stable id that
 * {@code PipelineFailed.code} carries; the message is the one-line reason, in plain words.
 */
public class BuildFailure extends RuntimeException {

    /** An instruction of the Dockerfile failed (the message names the step). */
    public static final String STEP_FAILED = "build-step-failed";
    /**
     * The build's input cannot be built as given: the build context cannot be read, its {@code .dockerignore} has a
     * malformed pattern, or the engine refused the Dockerfile or the context (e.g. a Dockerfile that does not parse).
     */
    public static final String CONTEXT_INVALID = "build-context-invalid";
    /** The build ran longer than its time-out and was cancelled. */
    public static final String TIMED_OUT = "build-timed-out";
    /** The Docker engine (or its CLI) failed or could not be reached. */
    public static final String ENGINE_ERROR = "docker-engine-error";
    /** The built image could not be pushed to its registry. */
    public static final String PUSH_FAILED = "push-failed";
    /** An image named by digest (or a base image) does not exist in its registry. */
    public static final String IMAGE_MISSING = "image-missing";
    /** A registry refused or failed a request (after its client's retries). */
    public static final String REGISTRY_ERROR = "registry-error";

    private final FailureKind kind;
    private final String code;

    public BuildFailure(FailureKind kind, String code, String reason, Throwable cause) {
        super(reason, cause);
        this.kind = kind;
        this.code = code;
    }

    /** A failure that retrying unchanged cannot fix. */
    public static BuildFailure permanent(String code, String reason) {
        return new BuildFailure(FailureKind.PERMANENT, code, reason, null);
    }

    /** A failure that may pass when retried (its caller's retries are used up once it reaches a run's outcome). */
    public static BuildFailure transientFailure(String code, String reason, Throwable cause) {
        return new BuildFailure(FailureKind.TRANSIENT_EXHAUSTED, code, reason, cause);
    }

    public FailureKind kind() {
        return kind;
    }

    /** The kind of problem, one of the constants of this class. */
    public String code() {
        return code;
    }
}
