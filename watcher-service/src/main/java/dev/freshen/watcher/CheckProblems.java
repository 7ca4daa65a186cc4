package dev.freshen.watcher;

import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.RegistryException;

import java.util.List;

/**
 * The problem codes of a failed check ({@link CheckOutcome#code()}, {@code ChecksFailed.code}, the {@code code} label of
 * {@code freshen_check_failures_total}): a small, fixed set, so that channels and alerts can tell kinds apart without
 * parsing the reason, and the metric's labels stay few.
 */
public final class CheckProblems {

    /** A base tag does not exist upstream (deleted, renamed, or a typo in the Dockerfile). */
    public static final String BASE_IMAGE_MISSING = "base-image-missing";
    /** A registry answered 401 or 403: credentials missing, expired or rejected. */
    public static final String REGISTRY_AUTH_FAILED = "registry-auth-failed";
    /** No answer from a registry: connection refused, time-out, name not resolved, TLS failed. */
    public static final String REGISTRY_UNREACHABLE = "registry-unreachable";
    /** Another answer of a registry that is no success (429 and 5xx after the retries, an unexpected status). */
    public static final String REGISTRY_ERROR = "registry-error";
    /** Anything else. */
    public static final String CHECK_FAILED = "check-failed";
    /** Every code, in the order above. */
    public static final List<String> CODES = List.of(BASE_IMAGE_MISSING, REGISTRY_AUTH_FAILED, REGISTRY_UNREACHABLE,
            REGISTRY_ERROR, CHECK_FAILED);

    private CheckProblems() {
    }

    /** A base tag that the upstream registry does not have. */
    public static final class BaseImageMissing extends RuntimeException {

        public BaseImageMissing(ImageReference base) {
            super("base image " + base + " does not exist upstream");
        }
    }

    /** The code of the failure {@code e} of a check. */
    public static String code(RuntimeException e) {
        if (e instanceof BaseImageMissing) {
            return BASE_IMAGE_MISSING;
        }
        if (e instanceof RegistryException r) {
            if (r.status() == 401 || r.status() == 403) {
                return REGISTRY_AUTH_FAILED;
            }
            return r.status() == 0 && r.isTransient() ? REGISTRY_UNREACHABLE : REGISTRY_ERROR;
        }
        return CHECK_FAILED;
    }
}
