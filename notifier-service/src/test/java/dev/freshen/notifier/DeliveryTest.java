package dev.freshen.notifier;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryTest {

    private final List<Duration> waits = new ArrayList<>();
    private final Delivery.Settings settings = new Delivery.Settings(4, Duration.ofSeconds(1), Duration.ofSeconds(5));

    @Test
    void succeedsAtOnceWithoutWaiting() {
        Delivery.Outcome outcome = delivery(0.5).run(() -> { });
        assertTrue(outcome.delivered());
        assertEquals(1, outcome.attempts());
        assertEquals(List.of(), waits);
    }

    @Test
    void retriesWithExponentialBackoffUpToMaxAttemptsThenGivesUp() {
        AtomicInteger calls = new AtomicInteger();
        Delivery.Outcome outcome = delivery(1.0).run(() -> {
            calls.incrementAndGet();
            throw new DeliveryException("teams answered HTTP 500");
        });
        assertFalse(outcome.delivered());
        assertEquals(4, calls.get());
        assertEquals("teams answered HTTP 500 (4 attempts)", outcome.failure());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), waits);
    }

    @Test
    void jitterKeepsHalfTheBackoffAndRandomisesTheOtherHalfWithinMaxBackoff() {
        assertEquals(Duration.ofMillis(500), delivery(0.0).backoff(1));
        assertEquals(Duration.ofMillis(750), delivery(0.5).backoff(1));
        assertEquals(Duration.ofMillis(1000), delivery(1.0).backoff(1));
        assertEquals(Duration.ofMillis(2500), delivery(0.0).backoff(10), "capped at max-backoff");
        assertEquals(Duration.ofSeconds(5), delivery(1.0).backoff(60), "no overflow");
    }

    @Test
    void honoursRetryAfterInsteadOfItsOwnBackoff() {
        AtomicInteger calls = new AtomicInteger();
        Delivery.Outcome outcome = delivery(0.0).run(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new DeliveryException("teams answered HTTP 429", true, Duration.ofSeconds(3), null);
            }
        });
        assertTrue(outcome.delivered());
        assertEquals(2, outcome.attempts());
        assertEquals(List.of(Duration.ofSeconds(3)), waits);
    }

    @Test
    void aRetryAfterLongerThanMaxBackoffEndsTheRetries() {
        Delivery.Outcome outcome = delivery(0.0).run(() -> {
            throw new DeliveryException("slack answered HTTP 429", true, Duration.ofSeconds(3600), null);
        });
        assertEquals(1, outcome.attempts());
        assertEquals("slack answered HTTP 429 and asked to retry after 3600 s, longer than max-backoff 5 s (1 attempt)",
                outcome.failure());
        assertEquals(List.of(), waits);
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        Delivery.Outcome outcome = delivery(0.0).run(() -> {
            throw new DeliveryException("teams answered HTTP 400", false, null, null);
        });
        assertEquals(1, outcome.attempts());
        assertEquals("teams answered HTTP 400 (not retried)", outcome.failure());
    }

    @Test
    void anInterruptedWaitEndsAsInterrupted() {
        Delivery delivery = new Delivery(settings, () -> 0, d -> {
            throw new InterruptedException();
        });
        Delivery.Outcome outcome = delivery.run(() -> {
            throw new DeliveryException("webhook answered HTTP 503");
        });
        assertTrue(outcome.interrupted());
        assertTrue(Thread.interrupted(), "the interrupt is kept");
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        Instant now = Instant.parse("2025-01-14T09:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(120)), Delivery.parseRetryAfter(" 120 ", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)), Delivery.parseRetryAfter("Tue, 14 Jan 2025 09:00:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), Delivery.parseRetryAfter("Tue, 14 Jan 2025 08:00:00 GMT", now));
        assertEquals(Optional.empty(), Delivery.parseRetryAfter("soon", now));
        assertEquals(Optional.empty(), Delivery.parseRetryAfter("-5", now));
    }

    private Delivery delivery(double random) {
        return new Delivery(settings, () -> random, waits::add);
    }
}
