package dev.freshen.events;

import java.time.Instant;

/**
 * A check of an image passed after a {@link ChecksFailed}: the streak is over. Written once per streak, by the watcher.
 *
 * <p>Not a pipeline run: {@code runId} is the streak's id, the one of the {@link ChecksFailed} it ends
 * ({@link RunIds#forCheckStreak}).
 *
 * @param failingSince when the first failed check of the streak ran (as in the {@link ChecksFailed})
 * @param recoveredAt  when the check that passed ran
 * @param failedCycles how many checks in a row had failed before it, at least 1; after a watcher restart during the
 *                     streak, the failed checks between the announcement and the restart are not counted
 */
public record ChecksRecovered(String runId, String imageId, int attempt, Instant occurredAt, Instant failingSince,
                              Instant recoveredAt, Integer failedCycles) implements FreshenEvent {

    public ChecksRecovered {
        Require.envelope("ChecksRecovered", runId, imageId, attempt, occurredAt);
        Require.present(failingSince, "ChecksRecovered", "failingSince");
        Require.present(recoveredAt, "ChecksRecovered", "recoveredAt");
        Require.present(failedCycles, "ChecksRecovered", "failedCycles");
        if (failedCycles < 1) {
            throw new IllegalArgumentException("ChecksRecovered: field 'failedCycles' must be at least 1, was "
                    + failedCycles);
        }
    }
}
