package dev.freshen.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(30));

    @Test
    void doublesFromTheInitialWaitWithHalfOfItRandom() {
        assertEquals(Duration.ofSeconds(1), policy.backoff(1, 0.0));
        assertEquals(Duration.ofSeconds(2), policy.backoff(1, 1.0));
        assertEquals(Duration.ofSeconds(2), policy.backoff(2, 0.0));
        assertEquals(Duration.ofSeconds(4), policy.backoff(2, 1.0));
        assertEquals(Duration.ofSeconds(6), policy.backoff(3, 0.5));
    }

    @Test
    void jitterStaysBetweenHalfAndAllOfTheBaseForEveryRandomValue() {
        for (int failed = 1; failed <= 40; failed++) {
            Duration base = policy.base(failed);
            for (double random = 0; random <= 1.0; random += 0.125) {
                Duration wait = policy.backoff(failed, random);
                assertTrue(wait.compareTo(base.dividedBy(2)) >= 0 && wait.compareTo(base) <= 0,
                        "after " + failed + " failures with random " + random + ": " + wait + " not in [base/2, base] of " + base);
            }
        }
        assertEquals(Duration.ofSeconds(1), policy.backoff(1, -3), "random below 0 counts as 0");
        assertEquals(Duration.ofSeconds(2), policy.backoff(1, 7), "random above 1 counts as 1");
    }

    @Test
    void neverWaitsLongerThanTheMaximumHoweverManyAttemptsFailed() {
        assertEquals(Duration.ofSeconds(30), policy.backoff(5, 1.0));
        assertEquals(Duration.ofSeconds(30), policy.backoff(500, 1.0));
        assertEquals(Duration.ofSeconds(15), policy.backoff(500, 0.0));
        RetryPolicy huge = new RetryPolicy(100, Duration.ofDays(365 * 1000L), Duration.ofDays(365 * 2000L));
        assertEquals(Duration.ofDays(365 * 2000L), huge.base(80), "no overflow");
    }

    @Test
    void theLongestTotalWaitIsTheSumOfTheBases() {
        assertEquals(Duration.ofSeconds(2 + 4 + 8 + 16), policy.longestTotalWait());
        assertEquals(Duration.ofSeconds(4 * 30), policy.longestTotalWaitWithRetryAfter());
        assertEquals(Duration.ZERO, RetryPolicy.once().longestTotalWait());
        assertEquals(Duration.ofMillis(500 + 1000 + 2000),
                new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(30)).longestTotalWait());
    }

    @Test
    void rejectsValuesOutOfRangeNamingTheSetting() {
        var zero = assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
        assertEquals("max-attempts must be at least 1, was 0", zero.getMessage());
        var inverted = assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(1)));
        assertEquals("need 0 <= initial-backoff <= max-backoff, was 5.0 s and 1.0 s", inverted.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(3, Duration.ofSeconds(-1), Duration.ofSeconds(1)));
    }

    @Test
    void describesItselfInWords() {
        assertEquals("4 attempts, 500 ms doubling to 30 s",
                new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(30)).toString());
    }
}
