package dev.freshen.messaging;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with "equal jitter", the one retry rhythm of every stage: after failed attempt
 * {@code n} (1-based) the wait is {@code min(max, initial * 2^(n-1))}, half of it fixed and half random, so that
 * instances (or runs) that failed together do not all retry in the same instant.
 *
 * @param initial the wait after the first failed attempt, before jitter
 * @param max     the longest wait, before jitter
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial backoff <= max backoff, was " + initial + " and " + max);
        }
    }

    /** The wait after failed attempt {@code failedAttempts}, with {@code random} in [0, 1) choosing the jitter. */
    public Duration delay(int failedAttempts, double random) {
        Duration base = initial.multipliedBy(1L << Math.min(Math.max(failedAttempts, 1) - 1, 30));
        if (base.compareTo(max) > 0 || base.isNegative()) {
            base = max;
        }
        long half = base.toMillis() / 2;
        return Duration.ofMillis(base.toMillis() - half + Math.round(half * random));
    }

    /**
     * Waits {@link #delay(int, double)} with a random jitter before the next attempt.
     *
     * @throws StopRequested when the thread is interrupted: the service is stopping, the work is left for redelivery
     */
    public void pause(int failedAttempts) {
        try {
            Thread.sleep(delay(failedAttempts, ThreadLocalRandom.current().nextDouble()).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopRequested("interrupted while waiting to retry");
        }
    }
}
