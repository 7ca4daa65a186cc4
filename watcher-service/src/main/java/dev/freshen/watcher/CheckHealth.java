package dev.freshen.watcher;

import dev.freshen.events.ChecksFailed;
import dev.freshen.events.ChecksRecovered;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.RunIds;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Check health per image: how many checks in a row failed, and whether the image is announced as failing. After
 * {@code threshold} failed checks in a row {@link #record} answers one {@link ChecksFailed} (with the problem code and
 * reason of the last failure); once that is written, the next check that passes answers one {@link ChecksRecovered}.
 * An event is the caller's to write; it counts once it is {@link #apply applied} (after Kafka has it), so an event
 * that could not be written is answered again at the next check.
 *
 * <p>Restarts: the announcements are read back from {@code freshen.checks-failed} and {@code freshen.checks-recovered}
 * at start-up ({@link #apply}, newest by time wins, any order, any number of times), so a restarted watcher neither
 * announces a streak twice nor forgets to announce its end. The count of failed checks in a row is kept in memory
 * only: a streak not yet announced starts again at 0; an announced one goes on from the count it was announced with.
 *
 * <p>Thread-safe.
 */
public final class CheckHealth {

    /** A run of failed checks: since when, how many, and the last failure's code and reason. */
    private record Streak(Instant failingSince, int failures, String code, String reason, Instant lastFailedAt) {
    }

    /**
     * How an image's checks stand.
     *
     * @param failing             whether the image is announced as failing (a {@link ChecksFailed} is its newest event)
     * @param failingSince        the first failed check of the current streak; null when the last check passed
     * @param consecutiveFailures failed checks in a row now (0 when the last check passed)
     * @param code                the last failure's problem code; null when the last check passed
     * @param reason              the last failure's reason; null when the last check passed
     * @param lastFailedAt        when the last failed check ran; null when the last check passed
     */
    public record Status(boolean failing, Instant failingSince, int consecutiveFailures, String code, String reason,
                         Instant lastFailedAt) {

        /** The last check passed, or none ran yet, and the image is not announced as failing. */
        public static final Status OK = new Status(false, null, 0, null, null, null);
    }

    private final int threshold;
    private final Map<String, Streak> streaks = new HashMap<>();
    /** image id -> its newest ChecksFailed or ChecksRecovered, written by this watcher or read from the topics */
    private final Map<String, FreshenEvent> announced = new HashMap<>();

    /** @param threshold failed checks in a row that make an image failing, at least 1 */
    public CheckHealth(int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("freshen.watcher.checks-failing-after must be at least 1, is " + threshold);
        }
        this.threshold = threshold;
    }

    public int threshold() {
        return threshold;
    }

    /**
     * Counts the outcome of a check of {@code outcome.imageId()}, and answers the event to write, if any: a
     * {@link ChecksFailed} when the streak reaches the threshold and the image is not announced as failing, a
     * {@link ChecksRecovered} when the check passed and it is.
     */
    public synchronized Optional<FreshenEvent> record(CheckOutcome outcome) {
        String id = outcome.imageId();
        ChecksFailed failing = announcedFailing(id);
        Streak before = streaks.get(id);
        if (outcome.passed()) {
            streaks.remove(id);
            if (failing == null) {
                return Optional.empty();
            }
            int cycles = before != null && before.failingSince().equals(failing.failingSince())
                    ? Math.max(before.failures(), failing.consecutiveFailures()) : failing.consecutiveFailures();
            return Optional.of(new ChecksRecovered(failing.runId(), id, 1, outcome.checkedAt(), failing.failingSince(),
                    outcome.checkedAt(), cycles));
        }
        String code = outcome.code() == null ? CheckProblems.CHECK_FAILED : outcome.code();
        String reason = outcome.message() == null || outcome.message().isBlank() ? "the check failed" : outcome.message();
        Streak streak;
        if (before != null) {
            streak = new Streak(before.failingSince(), before.failures() + 1, code, reason, outcome.checkedAt());
        } else if (failing != null) {
            streak = new Streak(failing.failingSince(), failing.consecutiveFailures() + 1, code, reason, outcome.checkedAt());
        } else {
            streak = new Streak(outcome.checkedAt(), 1, code, reason, outcome.checkedAt());
        }
        streaks.put(id, streak);
        if (failing != null || streak.failures() < threshold) {
            return Optional.empty();
        }
        return Optional.of(new ChecksFailed(RunIds.forCheckStreak(id, streak.failingSince()), id, 1, outcome.checkedAt(),
                streak.failingSince(), streak.failures(), streak.code(), streak.reason()));
    }

    /**
     * Applies a {@link ChecksFailed} or {@link ChecksRecovered} that Kafka has (written by this watcher, or read from the
     * topics); other events are ignored. The newest by time is what an image is announced as.
     */
    public synchronized void apply(FreshenEvent event) {
        if (event instanceof ChecksFailed || event instanceof ChecksRecovered) {
            announced.merge(event.imageId(), event, (known, read) -> newer(read, known) ? read : known);
        }
    }

    /** Whether {@code imageId} is announced as failing. */
    public synchronized boolean failing(String imageId) {
        return announcedFailing(imageId) != null;
    }

    /** How {@code imageId}'s checks stand. */
    public synchronized Status status(String imageId) {
        ChecksFailed failing = announcedFailing(imageId);
        Streak streak = streaks.get(imageId);
        if (streak != null) {
            return new Status(failing != null, streak.failingSince(), streak.failures(), streak.code(), streak.reason(),
                    streak.lastFailedAt());
        }
        if (failing != null) {
            return new Status(true, failing.failingSince(), failing.consecutiveFailures(), failing.code(),
                    failing.reason(), failing.occurredAt());
        }
        return Status.OK;
    }

    /** Every image with a streak or an announcement, sorted. */
    public synchronized Set<String> images() {
        Set<String> ids = new TreeSet<>(streaks.keySet());
        ids.addAll(announced.keySet());
        return ids;
    }

    private ChecksFailed announcedFailing(String imageId) {
        return announced.get(imageId) instanceof ChecksFailed failed ? failed : null;
    }

    /** Whether {@code a} is newer than {@code b}; at the same time a recovery ends its own streak's failure. */
    private static boolean newer(FreshenEvent a, FreshenEvent b) {
        int byTime = a.occurredAt().compareTo(b.occurredAt());
        if (byTime != 0) {
            return byTime > 0;
        }
        return a instanceof ChecksRecovered && b instanceof ChecksFailed;
    }
}
