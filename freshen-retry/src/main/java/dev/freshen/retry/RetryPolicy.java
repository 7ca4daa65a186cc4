package dev.freshen.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently {@link Retry} tries again: at most {@code maxAttempts} attempts in all (1 = no retry),
 * and after failed attempt {@code n} (1-based) a wait of {@code min(maxBackoff, initialBackoff * 2^(n-1))}, half of it
 * fixed and half random ("equal jitter", so that instances or runs that failed together do not all retry in the same
 * instant). The same three values are the settings {@code max-attempts}, {@code initial-backoff} and
 * {@code max-backoff} of every Freshen component that retries. {@code maxBackoff} also bounds a server's
 * {@code Retry-After} (see {@link Retry}).
 *
 * @param maxAttempts    attempts in all, at least 1
 * @param initialBackoff the wait after the first failed attempt, before jitter; zero or more
 * @param maxBackoff     the longest wait between two attempts, before jitter; at least {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** Doublings beyond this cannot matter (2^30 times any wait of a millisecond or more is over 12 days). */
    private static final int MAX_DOUBLINGS = 30;

    /** @throws IllegalArgumentException when an attempt count or a wait is out of range; the message names the setting */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-attempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initial-backoff <= max-backoff, was "
                    + Durations.human(initialBackoff) + " and " + Durations.human(maxBackoff));
        }
    }

    /** No retries: one attempt. */
    public static RetryPolicy once() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /**
     * The wait after failed attempt {@code failedAttempts} (1 after the first failure): the exponential base
     * {@code min(maxBackoff, initialBackoff * 2^(failedAttempts-1))}, of which half is kept and the other half scaled
     * by {@code random}. Millisecond precision.
     *
     * @param random in [0, 1]: 0 gives half the base, 1 all of it
     */
    public Duration backoff(int failedAttempts, double random) {
        long base = base(failedAttempts).toMillis();
        long half = base / 2;
        return Duration.ofMillis(base - half + Math.round(half * Math.min(1, Math.max(0, random))));
    }

    /** The exponential base of {@link #backoff}, without jitter: the longest wait after {@code failedAttempts}. */
    public Duration base(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts, 1) - 1, MAX_DOUBLINGS);
        Duration base;
        try {
            base = initialBackoff.multipliedBy(1L << doublings);
        } catch (ArithmeticException e) {
            return maxBackoff;
        }
        return base.compareTo(maxBackoff) > 0 ? maxBackoff : base;
    }

    /**
     * The longest time spent waiting over all retries when no server asks for a wait ({@code Retry-After}): the sum
     * of the bases of the {@code maxAttempts - 1} waits. A {@code Retry-After} (at most {@code maxBackoff} each)
     * can stretch that to {@link #longestTotalWaitWithRetryAfter()}.
     */
    public Duration longestTotalWait() {
        Duration total = Duration.ZERO;
        for (int failed = 1; failed < maxAttempts; failed++) {
            total = total.plus(base(failed));
        }
        return total;
    }

    /** {@code (maxAttempts - 1) * maxBackoff}: the longest time spent waiting when servers ask for the longest wait. */
    public Duration longestTotalWaitWithRetryAfter() {
        return maxBackoff.multipliedBy(maxAttempts - 1L);
    }

    /** "4 attempts, 500 ms doubling to 30 s". */
    @Override
    public String toString() {
        return maxAttempts + (maxAttempts == 1 ? " attempt" : " attempts") + ", " + Durations.human(initialBackoff)
                + " doubling to " + Durations.human(maxBackoff);
    }
}
