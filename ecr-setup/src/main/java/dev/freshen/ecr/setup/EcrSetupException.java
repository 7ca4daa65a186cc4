package dev.freshen.ecr.setup;

/**
 * An ECR API call of the setup failed (after the SDK's retries): the message names the operation, the repository and
 * the AWS error code with its message; never credentials.
 */
public final class EcrSetupException extends RuntimeException {

    private final boolean transientFailure;

    public EcrSetupException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** Throttling, 5xx, time-outs and I/O: trying again later may work (missing credentials, access denied: not). */
    public boolean isTransient() {
        return transientFailure;
    }
}
