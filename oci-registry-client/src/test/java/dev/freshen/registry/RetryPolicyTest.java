package dev.freshen.registry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void transientStatuses() {
        for (int status : new int[]{429, 500, 502, 503, 504}) {
            assertTrue(RetryPolicy.isTransientStatus(status), String.valueOf(status));
        }
        for (int status : new int[]{200, 201, 400, 401, 403, 404, 405}) {
            assertFalse(RetryPolicy.isTransientStatus(status), String.valueOf(status));
        }
    }

    @Test
    void backoffDoublesWithJitterBetweenHalfAndAll() {
        RetryPolicy lowest = new RetryPolicy(10, Duration.ofMillis(500), () -> 0.0);
        RetryPolicy highest = new RetryPolicy(10, Duration.ofMillis(500), () -> 0.999999);

        assertEquals(Duration.ofMillis(250), lowest.backoff(1));
        assertEquals(Duration.ofMillis(499), highest.backoff(1));
        assertEquals(Duration.ofMillis(500), lowest.backoff(2));
        assertEquals(Duration.ofMillis(1000), lowest.backoff(3));
        assertEquals(Duration.ofMillis(3999), highest.backoff(4));
    }

    @Test
    void backoffIsCappedAt30Seconds() {
        RetryPolicy highest = new RetryPolicy(100, Duration.ofSeconds(1), () -> 0.999999);

        assertTrue(highest.backoff(6).compareTo(Duration.ofSeconds(30)) <= 0);
        assertTrue(highest.backoff(60).compareTo(Duration.ofSeconds(30)) <= 0);
        assertTrue(highest.backoff(60).compareTo(Duration.ofSeconds(15)) >= 0);
    }

    @Test
    void retryAfterInSecondsOrHttpDateCappedAt60Seconds() {
        assertEquals(Optional.of(Duration.ofSeconds(1)), RetryPolicy.parseRetryAfter("1", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(60)), RetryPolicy.parseRetryAfter("3600", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(60)), RetryPolicy.parseRetryAfter("99999999999", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(5)), RetryPolicy.parseRetryAfter("Sun, 01 Jun 2025 12:00:05 GMT", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(60)), RetryPolicy.parseRetryAfter("Sun, 01 Jun 2025 13:00:00 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryPolicy.parseRetryAfter("Sat, 31 May 2025 12:00:00 GMT", NOW));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("soon", NOW));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter(" ", NOW));
    }

    @Test
    void delayHonoursRetryAfterOn429And503Only() {
        RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(10), () -> 0.0);

        assertEquals(Duration.ofSeconds(2), policy.delay(1, 429, Optional.of("2"), NOW));
        assertEquals(Duration.ofSeconds(2), policy.delay(1, 503, Optional.of("2"), NOW));
        assertEquals(Duration.ofMillis(5), policy.delay(1, 500, Optional.of("2"), NOW));
        assertEquals(Duration.ofMillis(5), policy.delay(1, 429, Optional.empty(), NOW));
        assertEquals(Duration.ofMillis(5), policy.delay(1, 429, Optional.of("later"), NOW));
    }
}
