package dev.freshen.events;

import java.time.Instant;

/**
 * The watcher's checks of an image failed {@code consecutiveFailures} cycles in a row (the threshold,
 * {@code freshen.watcher.checks-failing-after}, 3 by default): the base is gone upstream, the registry rejects the
 * credentials, or it cannot be reached. Written once per streak, not at every failed check; a check that passes
 * afterwards ends the streak with a {@link ChecksRecovered}. The watcher reads both topics back at start-up, so a
 * restarted watcher neither announces a streak again nor forgets to announce its end.
 *
 * <p>Not a pipeline run: {@code runId} is the streak's id, {@code c-} and 24 hex characters derived from the image id
 * and {@code failingSince} ({@link RunIds#forCheckStreak}), shared with the {@link ChecksRecovered} that ends it; the
 * same announcement written twice (a retried send) has the same id, so the notifier announces it once.
 *
 * @param failingSince        when the first failed check of the streak ran
 * @param consecutiveFailures how many checks in a row had failed when this was written, at least 1
 * @param code                the kind of problem of the last failed check, a stable id ({@code base-image-missing},
 *                            {@code registry-auth-failed}, {@code registry-unreachable}, {@code registry-error},
 *                            {@code check-failed}); an open set
 * @param reason              what went wrong in the last failed check, one line of user text
 */
public record ChecksFailed(String runId, String imageId, int attempt, Instant occurredAt, Instant failingSince,
                           Integer consecutiveFailures, String code, String reason) implements FreshenEvent {

    public ChecksFailed {
        Require.envelope("ChecksFailed", runId, imageId, attempt, occurredAt);
        Require.present(failingSince, "ChecksFailed", "failingSince");
        Require.present(consecutiveFailures, "ChecksFailed", "consecutiveFailures");
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("ChecksFailed: field 'consecutiveFailures' must be at least 1, was "
                    + consecutiveFailures);
        }
        WireIds.check(Require.present(code, "ChecksFailed", "code"), "problem code");
        Require.present(reason, "ChecksFailed", "reason");
    }
}
