package dev.freshen.events;

import java.time.Instant;

/**
 * An operator (watcher API, {@code freshen rollback}) asked to move an image's moving extra tags ({@code latest},
 * {@code 10.0}, …) back to an earlier published version, without rebuilding. The watcher checked the request (a
 * known image, a published version other than the one the moving tags name) and resolved the default; the
 * publisher, which holds the registry write rights, moves the tags and answers {@link ImageRolledBack}, or a
 * {@link PipelineFailed} (stage {@code publish}, trigger kind {@code rollback}, code {@code rollback-…}).
 *
 * <p>Not a pipeline run: {@code runId} is the rollback's id ({@code r-} and 24 hex characters,
 * {@link RunIds#rollback()}). Moving tags to a fixed version is idempotent, so a redelivered request changes nothing
 * more.
 *
 * @param fromVersion the version tag the moving tags named when the watcher accepted the request
 *                    ({@code 10.0-noble-1.2.0}); {@code null} when they named no version
 * @param toVersion   the version tag to move the moving tags to ({@code 10.0-noble-1.1.0})
 * @param reason      why, shown in the card and in {@code freshen status}; may be {@code null}
 * @param requestedBy who asked ({@code api:<key name>}), as the watcher's API knows the caller
 */
public record RollbackRequested(String runId, String imageId, int attempt, Instant occurredAt, String fromVersion,
                                String toVersion, String reason, String requestedBy) implements FreshenEvent {

    public RollbackRequested {
        Require.envelope("RollbackRequested", runId, imageId, attempt, occurredAt);
        Require.present(toVersion, "RollbackRequested", "toVersion");
        if (fromVersion != null && fromVersion.isBlank()) {
            fromVersion = null;
        }
    }

    /** The trigger of this rollback's {@code PipelineFailed}, should it fail. */
    public Trigger trigger() {
        return Trigger.rollback(reason, requestedBy);
    }
}
