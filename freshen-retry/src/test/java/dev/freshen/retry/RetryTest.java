package dev.freshen.retry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryTest {

    /** A transient failure, optionally with a server's wish for a wait. */
    static final class Unavailable extends RuntimeException {
        final Duration retryAfter;

        Unavailable(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }
    }

    private final List<Retry.Retrying> retries = new CopyOnWriteArrayList<>();
    private final RetryPolicy fast = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40));
    private final Retry retry = Retry.of(fast, e -> e instanceof Unavailable)
            .retryAfter(e -> e instanceof Unavailable u ? Optional.ofNullable(u.retryAfter) : Optional.empty())
            .listener(retries::add)
            .random(() -> 1.0);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aFirstSuccessIsReturnedWithoutRetrying() {
        assertEquals("ok", retry.get("ping", () -> "ok"));
        assertEquals(List.of(), retries);
    }

    @Test
    void transientFailuresAreRetriedWithDoublingWaitsUntilTheAttemptsAreUsedUp() {
        AtomicInteger calls = new AtomicInteger();
        Unavailable last = new Unavailable("HTTP 503", null);
        Unavailable thrown = assertThrows(Unavailable.class, () -> retry.run("HEAD x", () -> {
            calls.incrementAndGet();
            throw last;
        }));

        assertSame(last, thrown, "without onGiveUp the last failure is thrown unchanged");
        assertEquals(4, calls.get());
        assertEquals(List.of(2, 3, 4), retries.stream().map(Retry.Retrying::nextAttempt).toList());
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40)),
                retries.stream().map(Retry.Retrying::delay).toList());
    }

    @Test
    void aLaterSuccessEndsTheRetries() {
        AtomicInteger calls = new AtomicInteger();
        assertEquals(3, retry.get("x", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new Unavailable("busy", null);
            }
            return calls.get();
        }));
        assertEquals(2, retries.size());
    }

    @Test
    void waitsStayWithinTheJitterBoundsWithRealRandomness() {
        List<Retry.Retrying> seen = new CopyOnWriteArrayList<>();
        Retry jittered = Retry.of(new RetryPolicy(6, Duration.ofMillis(8), Duration.ofMillis(20)), e -> true)
                .listener(seen::add);
        assertThrows(IllegalStateException.class, () -> jittered.run("x", () -> {
            throw new IllegalStateException("down");
        }));
        List<long[]> bounds = List.of(new long[]{4, 8}, new long[]{8, 16}, new long[]{10, 20}, new long[]{10, 20},
                new long[]{10, 20});
        for (int i = 0; i < 5; i++) {
            long millis = seen.get(i).delay().toMillis();
            assertTrue(millis >= bounds.get(i)[0] && millis <= bounds.get(i)[1], "wait " + (i + 1) + ": " + millis + " ms");
        }
    }

    @Test
    void aPermanentFailureIsThrownAtOnceUnchanged() {
        AtomicInteger calls = new AtomicInteger();
        IllegalArgumentException denied = new IllegalArgumentException("HTTP 403 DENIED");
        assertSame(denied, assertThrows(IllegalArgumentException.class, () -> retry.run("x", () -> {
            calls.incrementAndGet();
            throw denied;
        })));
        assertEquals(1, calls.get());
        assertEquals(List.of(), retries);
    }

    @Test
    void onGiveUpSeesTheAttemptsMade() {
        Retry counted = retry.onGiveUp((last, why) -> new IllegalStateException(last.getMessage() + " (" + why.describe() + ")", last));
        var e = assertThrows(IllegalStateException.class, () -> counted.run("x", () -> {
            throw new Unavailable("HTTP 503", null);
        }));
        assertEquals("HTTP 503 (4 attempts)", e.getMessage());
    }

    @Test
    void aRetryAfterUpToMaxBackoffReplacesTheBackoff() {
        AtomicInteger calls = new AtomicInteger();
        retry.run("x", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new Unavailable("HTTP 429", Duration.ofMillis(33));
            }
        });
        assertEquals(List.of(Duration.ofMillis(33)), retries.stream().map(Retry.Retrying::delay).toList());
    }

    @Test
    void aRetryAfterLongerThanMaxBackoffEndsTheRetriesAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        Retry counted = retry.onGiveUp((last, why) -> new IllegalStateException(why.describe(), last));
        var e = assertThrows(IllegalStateException.class, () -> counted.run("x", () -> {
            calls.incrementAndGet();
            throw new Unavailable("HTTP 429", Duration.ofHours(1));
        }));
        assertEquals(1, calls.get());
        assertEquals("asked to wait 1 h, longer than max-backoff 40 ms; 1 attempt", e.getMessage());
        assertEquals(List.of(), retries);
    }

    @Test
    void anInterruptDuringTheWaitThrowsStopRequestedAndKeepsTheInterrupt() throws Exception {
        Retry patient = Retry.of(new RetryPolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(1)), e -> true)
                .listener(retries::add);
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            try {
                patient.run("push of 127.0.0.1:5000/x", () -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("engine unavailable");
                });
            } catch (Throwable e) {
                thrown.set(e);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        });
        worker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !retries.isEmpty() && worker.getState() == Thread.State.TIMED_WAITING);
        worker.interrupt();
        worker.join(10_000);

        StopRequested stop = assertInstanceOf(StopRequested.class, thrown.get());
        assertEquals("interrupted while waiting to retry push of 127.0.0.1:5000/x", stop.getMessage());
        assertTrue(interruptKept.get(), "the interrupt flag stays set");
        assertEquals(1, calls.get(), "no attempt after the interrupt");
    }

    @Test
    void anAttemptThatFailsWhileInterruptedIsNotRetriedButStops() {
        AtomicInteger calls = new AtomicInteger();
        StopRequested stop = assertThrows(StopRequested.class, () -> retry.run("build of x", () -> {
            calls.incrementAndGet();
            Thread.currentThread().interrupt(); // e.g. the engine client saw the interrupt and failed
            throw new Unavailable("interrupted while building", null);
        }));
        assertEquals("interrupted during build of x", stop.getMessage());
        assertEquals(1, calls.get());
        assertTrue(Thread.currentThread().isInterrupted());
    }

    @Test
    void stopRequestedFromAnInnerRunnerPassesUnchangedAndIsNeverRetried() {
        Retry everything = Retry.of(fast, e -> true).listener(retries::add);
        StopRequested inner = new StopRequested("interrupted while waiting to retry HEAD x");
        assertSame(inner, assertThrows(StopRequested.class, () -> everything.run("x", () -> {
            throw inner;
        })));
        assertEquals(List.of(), retries);
    }

    @Test
    void theLogLineSaysWhatWhichAttemptHowLongAndWhyInPlainWords() {
        Retry stopAfterTheFirstLine = Retry.of(new RetryPolicy(5, Duration.ofMillis(4100), Duration.ofMinutes(1)), e -> true)
                .random(() -> 1.0)
                .listener(r -> {
                    retries.add(r);
                    Thread.currentThread().interrupt(); // the line is told before the wait: end the run there
                });
        assertThrows(StopRequested.class, () -> stopAfterTheFirstLine.run("push of 127.0.0.1:5000/x@sha256:ab12…", () -> {
            throw new UncheckedIOException(new ConnectException());
        }));
        assertEquals("Retrying push of 127.0.0.1:5000/x@sha256:ab12… (attempt 2 of 5) in 4.1 s: connection refused",
                retries.get(0).logLine());
    }

    @Test
    void byDefaultEachRetryIsOneInfoLineOfTheRetryLogger() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("dev.freshen.retry");
        logger.addHandler(capture);
        try {
            AtomicInteger calls = new AtomicInteger();
            Retry.of(fast, e -> true).describedBy(e -> "HTTP 503 UNAVAILABLE").run("HEAD http://127.0.0.1:1/v2/", () -> {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("ignored by describedBy");
                }
            });
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(1, records.size());
        assertEquals(java.util.logging.Level.INFO, records.get(0).getLevel());
        String line = records.get(0).getMessage();
        assertTrue(line.matches("Retrying HEAD http://127\\.0\\.0\\.1:1/v2/ \\(attempt 2 of 4\\) in \\d+ ms: HTTP 503 UNAVAILABLE"),
                line);
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
