package dev.freshen.registry;

/**
 * A registry request that failed. {@link #isTransient()} says whether trying again later may help (I/O errors,
 * timeouts, 5xx, 429 after all attempts); {@link #status()} is the HTTP status (0 when there was no response) and
 * {@link #code()} the OCI error code of the response body ({@code MANIFEST_UNKNOWN}, {@code DENIED}...), if any.
 * Messages name the registry and repository but never credentials or tokens.
 */
public class RegistryException extends RuntimeException {

    private final int status;
    private final boolean transientFailure;
    private final String code;

    public RegistryException(String message, int status, boolean transientFailure, String code) {
        this(message, status, transientFailure, code, null);
    }

    public RegistryException(String message, int status, boolean transientFailure, String code, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.transientFailure = transientFailure;
        this.code = code;
    }

    /** The HTTP status of the failed response, or 0 when there was none (I/O error, digest mismatch). */
    public int status() {
        return status;
    }

    /** Whether the same request may succeed later (the registry was unavailable, overloaded or unreachable). */
    public boolean isTransient() {
        return transientFailure;
    }

    /** The OCI error code from the response body, e.g. {@code MANIFEST_UNKNOWN}, or null. */
    public String code() {
        return code;
    }
}
