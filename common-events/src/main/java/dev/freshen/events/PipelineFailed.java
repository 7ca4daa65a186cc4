package dev.freshen.events;

import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;

import java.time.Instant;

/**
 * A run ended without publishing. {@code reason} says what went wrong in one line, naming the thing (the step, the
 * check, the port, the setting); {@code logExcerpt} holds the last lines of the relevant log (build output, container
 * log), already trimmed. {@code trigger} is known from the build stage on.
 *
 * <p>Optional, added in a compatible way (readers one version behind ignore them): {@code code} is the kind of
 * problem as a stable id ({@code app-exited}, {@code app-port-closed}, {@code build-step-failed}, …; an open set
 * like {@link FailureKind}), so that every channel can tell kinds apart without parsing text; {@code hint} says what
 * to do about it in one sentence. Every channel (card, CLI, API) shows {@code reason}, then {@code hint}; neither
 * ever holds a Java class name, a stack trace or an ISO-8601 duration. {@code candidate} is the run's candidate
 * ({@code <registry>/<repository>@sha256:…}, the staging location), when the run failed after it was built (stages
 * test and publish): the publisher deletes it from staging once the run has ended this way. {@code platform} names the
 * platform whose image of a multi-platform candidate failed ({@code linux/arm64}; the reason starts with it too);
 * {@code null} (not written) otherwise.
 */
public record PipelineFailed(String runId, String imageId, int attempt, Instant occurredAt, Stage stage,
                             FailureKind kind, String reason, String logExcerpt, Trigger trigger, String code,
                             String hint, ImageReference candidate, Platform platform) implements FreshenEvent {

    public PipelineFailed {
        Require.envelope("PipelineFailed", runId, imageId, attempt, occurredAt);
        Require.present(stage, "PipelineFailed", "stage");
        Require.present(kind, "PipelineFailed", "kind");
        Require.present(reason, "PipelineFailed", "reason");
        if (code != null) {
            WireIds.check(code, "problem code");
        }
        if (hint != null && hint.isBlank()) {
            hint = null;
        }
        if (candidate != null && !candidate.isPinned()) {
            throw new IllegalArgumentException("PipelineFailed: field 'candidate' must be pinned by digest, was " + candidate);
        }
    }

    /** A failure not about one platform. */
    public PipelineFailed(String runId, String imageId, int attempt, Instant occurredAt, Stage stage, FailureKind kind,
                          String reason, String logExcerpt, Trigger trigger, String code, String hint,
                          ImageReference candidate) {
        this(runId, imageId, attempt, occurredAt, stage, kind, reason, logExcerpt, trigger, code, hint, candidate, null);
    }

    /** A failure without a candidate. */
    public PipelineFailed(String runId, String imageId, int attempt, Instant occurredAt, Stage stage, FailureKind kind,
                          String reason, String logExcerpt, Trigger trigger, String code, String hint) {
        this(runId, imageId, attempt, occurredAt, stage, kind, reason, logExcerpt, trigger, code, hint, null);
    }

    /** A failure without a problem code or hint. */
    public PipelineFailed(String runId, String imageId, int attempt, Instant occurredAt, Stage stage, FailureKind kind,
                          String reason, String logExcerpt, Trigger trigger) {
        this(runId, imageId, attempt, occurredAt, stage, kind, reason, logExcerpt, trigger, null, null, null, null);
    }

    /** This failure with a problem {@code code} and a {@code hint} of what to do. */
    public PipelineFailed withProblem(String code, String hint) {
        return new PipelineFailed(runId, imageId, attempt, occurredAt, stage, kind, reason, logExcerpt, trigger, code, hint,
                candidate, platform);
    }

    /** This failure of {@code failed}'s image of a multi-platform candidate (its reason names the platform). */
    public PipelineFailed withPlatform(Platform failed) {
        return new PipelineFailed(runId, imageId, attempt, occurredAt, stage, kind, reason, logExcerpt, trigger, code, hint,
                candidate, failed);
    }

    /** This failure with the run's {@code candidate} (pinned by digest), to be deleted from staging. */
    public PipelineFailed withCandidate(ImageReference candidate) {
        return new PipelineFailed(runId, imageId, attempt, occurredAt, stage, kind, reason, logExcerpt, trigger, code, hint,
                candidate, platform);
    }
}
