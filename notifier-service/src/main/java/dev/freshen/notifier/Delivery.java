package dev.freshen.notifier;

import dev.freshen.retry.Failures;
import dev.freshen.retry.Retry;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.retry.StopRequested;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * Delivers one notification on one channel, retried with the shared runner ({@link Retry}) as the notifier's
 * {@link RetryPolicy} says ({@code freshen.notifier.max-attempts}, {@code initial-backoff}, {@code max-backoff}):
 * a retryable {@link DeliveryException} (the channel's {@link AnswerRule} decides) is tried again after the jittered
 * backoff, or after the endpoint's {@code Retry-After} when it sent one; a {@code Retry-After} longer than max-backoff
 * ends the retries (the event goes to the dead-letter topic, to be replayed later, rather than holding the consumer).
 * Non-retryable failures end them at once.
 */
public final class Delivery {

    private static final Logger LOG = Logger.getLogger(Delivery.class);

    /** How a delivery ended: after {@code attempts} attempts, delivered when {@code failure} is null. */
    public record Outcome(int attempts, String failure) {
        public boolean delivered() {
            return failure == null;
        }
    }

    private final Retry retry;

    public Delivery(RetryPolicy policy) {
        this(policy, null, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param retries told of each retry instead of the log (tests); null for the retry log line
     * @param random  the jitter, in [0, 1)
     */
    public Delivery(RetryPolicy policy, Retry.Listener retries, DoubleSupplier random) {
        Retry base = Retry.of(policy, e -> e instanceof DeliveryException d && d.retryable())
                .operation("notification")
                .retryAfter(e -> e instanceof DeliveryException d ? d.retryAfter() : Optional.empty())
                .describedBy(Throwable::getMessage)
                .onGiveUp((last, why) -> new GaveUp(last.getMessage() + why.retryAfterTooLong()
                        .map(wish -> " and asked to retry after " + wish.toSeconds() + " s, longer than max-backoff "
                                + policy.maxBackoff().toSeconds() + " s")
                        .orElse("") + " (" + attempts(why.attempts()) + ")"))
                .random(random);
        this.retry = retries == null ? base : base.listener(retries);
    }

    /**
     * Runs {@code attempt} until it returns normally, fails in a way that is not retried, or the retries end.
     *
     * @param what what is delivered where, for the retry log line: "image-published of run r to channel team"
     * @throws StopRequested when the thread is interrupted (the service is stopping): not a failed delivery
     */
    public Outcome run(String what, Runnable attempt) {
        AtomicInteger attempts = new AtomicInteger();
        try {
            retry.run(what, () -> {
                attempts.incrementAndGet();
                attempt.run();
            });
            return new Outcome(attempts.get(), null);
        } catch (GaveUp e) {
            return new Outcome(attempts.get(), e.getMessage());
        } catch (DeliveryException e) {
            return new Outcome(attempts.get(), e.getMessage() + " (not retried)");
        } catch (StopRequested e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s failed unexpectedly", what);
            return new Outcome(attempts.get(), "failed unexpectedly (" + Failures.plainWords(e) + "); the notifier's log "
                    + "has the details");
        }
    }

    private static String attempts(int n) {
        return n + (n == 1 ? " attempt" : " attempts");
    }

    /** The retries ended on a retryable failure. */
    private static final class GaveUp extends RuntimeException {
        GaveUp(String message) {
            super(message, null, false, false);
        }
    }
}
