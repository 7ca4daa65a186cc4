package dev.freshen.retry;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * THE retry runner of Freshen: runs an attempt until it succeeds, fails in a way the caller calls permanent, or the
 * {@link RetryPolicy} says stop. Immutable and thread-safe; configure once, run many times. The loop and its wait are
 * Failsafe's ({@code dev.failsafe}); the rhythm, the {@code Retry-After} rule, the interrupt rule and the log line are
 * Freshen's and the same everywhere:
 *
 * <ul>
 *     <li><b>Transient or not</b> is the caller's {@link #transientWhen test}; failures it rejects are thrown at once,
 *     unchanged. {@link StopRequested} is never retried.</li>
 *     <li><b>The wait</b> after failed attempt {@code n} is {@link RetryPolicy#backoff}, unless the failure carries a
 *     server's wish ({@link #retryAfter}, e.g. {@code Retry-After} parsed by {@link RetryAfter}): a wish of at most
 *     max-backoff replaces the backoff (no jitter); a longer one <b>ends the retries at once</b>, because trying again
 *     sooner than the server asked for only meets the same refusal and spends the server's patience. The caller's
 *     {@link #onGiveUp} sees that case as {@link GaveUp#retryAfterTooLong()}.</li>
 *     <li><b>Interrupts</b> (the service is stopping): an interrupt during a wait, or an attempt that fails while the
 *     thread is interrupted, throws {@link StopRequested} with the interrupt flag kept set; never a failure.</li>
 *     <li><b>Every retry is logged</b> as one line at INFO (logger {@code dev.freshen.retry}), e.g.
 *     {@code Retrying push of 127.0.0.1:5000/x@sha256:ab12… (attempt 2 of 5) in 4.1 s: connection refused}:
 *     what, the coming attempt and the maximum, the wait in human units, the failure in plain words
 *     ({@link #describedBy}, by default {@link Failures#plainWords}). A {@link Listener} may replace the log.</li>
 *     <li><b>Every retry is counted</b> in {@code freshen_retries_total{service,operation,reason}} ({@link RetryMetrics}),
 *     whatever the listener: {@link #operation} names the runner's work, {@link #reasonedBy} the failure.</li>
 *     <li><b>Giving up</b> after the last attempt (or on a too-long wish) throws the last failure, or what
 *     {@link #onGiveUp} makes of it (for instance a message saying how many attempts were made).</li>
 * </ul>
 */
public final class Retry {

    private static final Logger LOG = Logger.getLogger("dev.freshen.retry");

    /**
     * Why the runner stopped retrying a transient failure of {@code what}: all attempts used, or a server asked for
     * too long a wait.
     */
    public record GaveUp(String what, int attempts, Optional<Duration> retryAfterTooLong, RetryPolicy policy) {

        /** "4 attempts", or "asked to wait 1 h, longer than max-backoff 30 s; 1 attempt". */
        public String describe() {
            String count = attempts + (attempts == 1 ? " attempt" : " attempts");
            return retryAfterTooLong.map(wait -> "asked to wait " + Durations.human(wait) + ", longer than max-backoff "
                    + Durations.human(policy.maxBackoff()) + "; " + count).orElse(count);
        }
    }

    /** Makes the exception thrown when the runner gives up on a transient failure. */
    @FunctionalInterface
    public interface GiveUp {
        RuntimeException failure(RuntimeException last, GaveUp why);
    }

    /**
     * One retry about to happen: {@code nextAttempt} of {@code maxAttempts} starts after {@code delay};
     * {@code failure} is the last failure in plain words.
     */
    public record Retrying(String what, int nextAttempt, int maxAttempts, Duration delay, String failure) {

        /** {@code Retrying <what> (attempt 2 of 5) in 4.1 s: connection refused}. */
        public String logLine() {
            return "Retrying " + what + " (attempt " + nextAttempt + " of " + maxAttempts + ") in "
                    + Durations.human(delay) + ": " + failure;
        }
    }

    /** Told of each retry before its wait; the default logs {@link Retrying#logLine()}. */
    @FunctionalInterface
    public interface Listener {
        void retrying(Retrying retry);
    }

    private static final Listener LOG_LINE = retry -> LOG.info(retry.logLine());

    private final RetryPolicy policy;
    private final Predicate<? super RuntimeException> transientTest;
    private final Function<? super RuntimeException, Optional<Duration>> retryAfter;
    private final Function<? super RuntimeException, String> describe;
    private final GiveUp giveUp;
    private final Listener listener;
    private final DoubleSupplier random;
    private final String operation;
    private final Function<? super RuntimeException, String> reason;
    private final RetryMetrics metrics;

    private Retry(RetryPolicy policy, Predicate<? super RuntimeException> transientTest,
                  Function<? super RuntimeException, Optional<Duration>> retryAfter,
                  Function<? super RuntimeException, String> describe, GiveUp giveUp, Listener listener,
                  DoubleSupplier random, String operation, Function<? super RuntimeException, String> reason,
                  RetryMetrics metrics) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.transientTest = Objects.requireNonNull(transientTest, "transientTest");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        this.describe = Objects.requireNonNull(describe, "describe");
        this.giveUp = Objects.requireNonNull(giveUp, "giveUp");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.random = Objects.requireNonNull(random, "random");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * A runner for {@code policy} that retries the failures {@code transientTest} accepts, counting its retries in
     * {@link RetryMetrics#global()} as operation {@value RetryMetrics#OTHER} until {@link #operation} names it.
     */
    public static Retry of(RetryPolicy policy, Predicate<? super RuntimeException> transientTest) {
        return new Retry(policy, transientTest, e -> Optional.empty(), Failures::plainWords, (last, why) -> last,
                LOG_LINE, () -> ThreadLocalRandom.current().nextDouble(), RetryMetrics.OTHER, RetryMetrics::reason,
                RetryMetrics.global());
    }

    /**
     * The same runner, counting its retries as operation {@code name}: a short fixed word ({@code registry-request},
     * {@code build}), the {@code operation} label of {@code freshen_retries_total}; never a run id or an image.
     */
    public Retry operation(String name) {
        return new Retry(policy, transientTest, retryAfter, describe, giveUp, listener, random, name, reason, metrics);
    }

    /**
     * The same runner, giving each retried failure the {@code reason} label {@code code} makes of it (a short code
     * from a bounded set, e.g. {@code http-503}); by default {@link RetryMetrics#reason}.
     */
    public Retry reasonedBy(Function<? super RuntimeException, String> code) {
        return new Retry(policy, transientTest, retryAfter, describe, giveUp, listener, random, operation, code, metrics);
    }

    /** The same runner, counting its retries in {@code counter} (tests) instead of the global registry. */
    public Retry countedIn(RetryMetrics counter) {
        return new Retry(policy, transientTest, retryAfter, describe, giveUp, listener, random, operation, reason,
                counter);
    }

    /** The same runner, taking a server's wish for a wait ({@code Retry-After}) from each failure. */
    public Retry retryAfter(Function<? super RuntimeException, Optional<Duration>> wish) {
        return new Retry(policy, transientTest, wish, describe, giveUp, listener, random, operation, reason, metrics);
    }

    /** The same runner, describing failures in the retry log line with {@code plainWords}. */
    public Retry describedBy(Function<? super RuntimeException, String> plainWords) {
        return new Retry(policy, transientTest, retryAfter, plainWords, giveUp, listener, random, operation, reason,
                metrics);
    }

    /** The same runner, throwing what {@code onGiveUp} makes of the last failure when it gives up. */
    public Retry onGiveUp(GiveUp onGiveUp) {
        return new Retry(policy, transientTest, retryAfter, describe, onGiveUp, listener, random, operation, reason,
                metrics);
    }

    /** The same runner, telling {@code retries} of each retry instead of logging it. */
    public Retry listener(Listener retries) {
        return new Retry(policy, transientTest, retryAfter, describe, giveUp, retries, random, operation, reason,
                metrics);
    }

    /** The same runner with another source of jitter, in [0, 1) (tests). */
    public Retry random(DoubleSupplier jitter) {
        return new Retry(policy, transientTest, retryAfter, describe, giveUp, listener, jitter, operation, reason,
                metrics);
    }

    public RetryPolicy policy() {
        return policy;
    }

    /** {@link #get} for attempts without a result. */
    public void run(String what, Runnable attempt) {
        get(what, () -> {
            attempt.run();
            return null;
        });
    }

    /**
     * Runs {@code attempt} until it returns, as the class describes.
     *
     * @param what what is attempted, for the log line: "push of 127.0.0.1:5000/x@sha256:ab12…"; never a secret
     * @return the first result
     * @throws StopRequested when an interrupt ends the retries (the thread's interrupt flag stays set)
     * @throws RuntimeException the failure the caller's test calls permanent, unchanged; or, after the last attempt
     *                          or a too-long {@code Retry-After}, the last failure as {@link #onGiveUp} makes it
     */
    public <T> T get(String what, Supplier<T> attempt) {
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<Duration> refused = new AtomicReference<>();
        dev.failsafe.RetryPolicy<T> retries = dev.failsafe.RetryPolicy.<T>builder()
                .handleIf((T result, Throwable failure) -> failure instanceof RuntimeException e && retryable(e))
                .withMaxAttempts(policy.maxAttempts())
                .withDelayFn(context -> wait(context.getAttemptCount(), (RuntimeException) context.getLastException()))
                .abortIf((T result, Throwable failure) -> failure instanceof RuntimeException e && retryable(e)
                        && attempts.get() < policy.maxAttempts() && tooLong(e).map(wish -> {
                            refused.set(wish);
                            return true;
                        }).orElse(false))
                .onRetryScheduled(event -> {
                    RuntimeException last = (RuntimeException) event.getLastException();
                    metrics.retried(operation, reason.apply(last));
                    listener.retrying(new Retrying(what, event.getAttemptCount() + 1, policy.maxAttempts(),
                            event.getDelay(), describe.apply(last)));
                })
                .build();
        try {
            return Failsafe.with(retries).get(() -> {
                attempts.incrementAndGet();
                return attempt.get();
            });
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new StopRequested("interrupted while waiting to retry " + what, e.getCause());
            }
            throw e;
        } catch (StopRequested e) {
            throw e;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new StopRequested("interrupted during " + what, e);
            }
            if (!retryable(e)) {
                throw e;
            }
            throw giveUp.failure(e, new GaveUp(what, attempts.get(), Optional.ofNullable(refused.get()), policy));
        }
    }

    private boolean retryable(RuntimeException failure) {
        return !(failure instanceof StopRequested) && !Thread.currentThread().isInterrupted()
                && transientTest.test(failure);
    }

    private Optional<Duration> tooLong(RuntimeException failure) {
        return retryAfter.apply(failure).filter(wish -> wish.compareTo(policy.maxBackoff()) > 0);
    }

    private Duration wait(int failedAttempts, RuntimeException failure) {
        return retryAfter.apply(failure).filter(wish -> wish.compareTo(policy.maxBackoff()) <= 0)
                .orElseGet(() -> policy.backoff(failedAttempts, random.getAsDouble()));
    }
}
