package dev.freshen.events;

import java.time.Instant;

/**
 * A run ended without publishing. {@code reason} says what went wrong in one line; {@code logExcerpt} holds the
 * last lines of the relevant log (build output, container log), already trimmed. {@code trigger} is known from
 * the build stage on.
 */
public record PipelineFailed(String runId, String imageId, int attempt, Instant occurredAt, Stage stage,
                             FailureKind kind, String reason, String logExcerpt, Trigger trigger) implements FreshenEvent {

    public PipelineFailed {
        Require.envelope("PipelineFailed", runId, imageId, attempt, occurredAt);
        Require.present(stage, "PipelineFailed", "stage");
        Require.present(kind, "PipelineFailed", "kind");
        Require.present(reason, "PipelineFailed", "reason");
    }
}
