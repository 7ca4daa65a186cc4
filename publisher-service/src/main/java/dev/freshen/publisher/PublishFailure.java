package dev.freshen.publisher;

import dev.freshen.events.FailureKind;

/**
 * A publish step that did not work: permanent (permissions, validation, a candidate that is gone: retrying as is
 * fails again) or transient (registry 5xx, throttling, timeouts: worth another attempt). Messages name the registry,
 * repository and tag, and for AWS the error code, never credentials.
 */
public class PublishFailure extends RuntimeException {

    /** A registry refused or failed a request (its client retried already). */
    public static final String REGISTRY_ERROR = "registry-error";
    /** The ECR API refused or failed a request (the SDK retried already). */
    public static final String ECR_ERROR = "ecr-error";
    /** ECR refused because a quota would be exceeded (tags per image, images per repository, ...). */
    public static final String ECR_LIMIT_EXCEEDED = "ecr-limit-exceeded";
    /** The ECR repository went away while the run published (deleted meanwhile). */
    public static final String ECR_REPOSITORY_MISSING = "ecr-repository-missing";
    /** The verified candidate is not in its registry any more. */
    public static final String CANDIDATE_MISSING = "candidate-missing";
    /** The candidate's manifests cannot be copied as they are (invalid JSON or digests, too deep, changed digest). */
    public static final String CANDIDATE_INVALID = "candidate-invalid";
    /** An extra tag of the descriptor expands to a tag that may not be put. */
    public static final String EXTRA_TAG_INVALID = "extra-tag-invalid";
    /** An extra tag exists already, immutable, on another image. */
    public static final String EXTRA_TAG_CONFLICT = "extra-tag-conflict";
    /**
     * The images of the repository cannot be published to ECR with the configured tag mutability (more exclusion filters
     * than ECR allows, a filter that would pin a moving tag or free a version tag).
     */
    public static final String ECR_FILTERS_EXCEEDED = "ecr-filters-exceeded";
    /** Other publishers took every version this publisher computed, attempt after attempt. */
    public static final String VERSION_RACE_LOST = "version-race-lost";

    private final FailureKind kind;
    private final String code;

    public PublishFailure(FailureKind kind, String code, String reason, Throwable cause) {
        super(reason, cause);
        this.kind = kind;
        this.code = code;
    }

    /** A failure that retrying unchanged cannot fix; {@code code} is one of the constants of this class. */
    public static PublishFailure permanent(String code, String reason) {
        return new PublishFailure(FailureKind.PERMANENT, code, reason, null);
    }

    /** A failure that retrying unchanged cannot fix, caused by {@code cause}. */
    public static PublishFailure permanent(String code, String reason, Throwable cause) {
        return new PublishFailure(FailureKind.PERMANENT, code, reason, cause);
    }

    /** A failure that may pass when tried again. */
    public static PublishFailure transientFailure(String code, String reason, Throwable cause) {
        return new PublishFailure(FailureKind.TRANSIENT_EXHAUSTED, code, reason, cause);
    }

    public FailureKind kind() {
        return kind;
    }

    /** The kind of problem, one of the constants of this class ({@code PipelineFailed.code}). */
    public String code() {
        return code;
    }

    public boolean isTransient() {
        return kind == FailureKind.TRANSIENT_EXHAUSTED;
    }
}
