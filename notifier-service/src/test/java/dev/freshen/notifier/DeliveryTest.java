package dev.freshen.notifier;

import dev.freshen.retry.RetryPolicy;
import dev.freshen.retry.StopRequested;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryTest {

    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(50));

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void succeedsAtOnceWithoutWaiting() {
        Delivery.Outcome outcome = delivery(policy, 0.5).run("x", () -> { });
        assertTrue(outcome.delivered());
        assertEquals(1, outcome.attempts());
        assertEquals(List.of(), waits);
    }

    @Test
    void retriesWithExponentialBackoffUpToMaxAttemptsThenGivesUp() {
        AtomicInteger calls = new AtomicInteger();
        Delivery.Outcome outcome = delivery(policy, 1.0).run("x", () -> {
            calls.incrementAndGet();
            throw new DeliveryException("teams answered HTTP 500");
        });
        assertFalse(outcome.delivered());
        assertEquals(4, calls.get());
        assertEquals(4, outcome.attempts());
        assertEquals("teams answered HTTP 500 (4 attempts)", outcome.failure());
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40)), waits);
    }

    @Test
    void jitterKeepsHalfTheBackoffAndRandomisesTheOtherHalfWithinMaxBackoff() {
        delivery(policy, 0.0).run("x", () -> {
            throw new DeliveryException("teams answered HTTP 500");
        });
        assertEquals(List.of(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20)), waits);
        waits.clear();
        delivery(new RetryPolicy(6, Duration.ofMillis(10), Duration.ofMillis(25)), 1.0).run("x", () -> {
            throw new DeliveryException("teams answered HTTP 500");
        });
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(25), Duration.ofMillis(25),
                Duration.ofMillis(25)), waits, "capped at max-backoff");
    }

    @Test
    void honoursRetryAfterInsteadOfItsOwnBackoff() {
        AtomicInteger calls = new AtomicInteger();
        Delivery.Outcome outcome = delivery(policy, 0.0).run("x", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new DeliveryException("teams answered HTTP 429", true, Duration.ofMillis(30), null);
            }
        });
        assertTrue(outcome.delivered());
        assertEquals(2, outcome.attempts());
        assertEquals(List.of(Duration.ofMillis(30)), waits);
    }

    @Test
    void aRetryAfterLongerThanMaxBackoffEndsTheRetries() {
        Delivery.Outcome outcome = delivery(new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(5)), 0.0)
                .run("x", () -> {
                    throw new DeliveryException("slack answered HTTP 429", true, Duration.ofSeconds(3600), null);
                });
        assertEquals(1, outcome.attempts());
        assertEquals("slack answered HTTP 429 and asked to retry after 3600 s, longer than max-backoff 5 s (1 attempt)",
                outcome.failure());
        assertEquals(List.of(), waits);
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        Delivery.Outcome outcome = delivery(policy, 0.0).run("x", () -> {
            throw new DeliveryException("teams answered HTTP 400", false, null, null);
        });
        assertEquals(1, outcome.attempts());
        assertEquals("teams answered HTTP 400 (not retried)", outcome.failure());
    }

    @Test
    void anInterruptedWaitStopsWithStopRequestedAndKeepsTheInterrupt() throws Exception {
        Delivery patient = delivery(new RetryPolicy(4, Duration.ofSeconds(30), Duration.ofMinutes(1)), 0.0);
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Boolean> interruptKept = new AtomicReference<>();
        Thread channel = new Thread(() -> {
            try {
                result.set(patient.run("image-published of run r to channel hook", () -> {
                    throw new DeliveryException("webhook answered HTTP 503");
                }));
            } catch (RuntimeException e) {
                result.set(e);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        });
        channel.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !waits.isEmpty() && channel.getState() == Thread.State.TIMED_WAITING);
        channel.interrupt();
        channel.join(10_000);

        assertInstanceOf(StopRequested.class, result.get(), "not a failed delivery: " + result.get());
        assertTrue(interruptKept.get(), "the interrupt is kept");
    }

    private Delivery delivery(RetryPolicy retries, double random) {
        return new Delivery(retries, retry -> waits.add(retry.delay()), () -> random);
    }
}
