package dev.freshen.notifier;

import dev.freshen.messaging.Backoff;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Retries one delivery with bounded, jittered exponential backoff: attempt {@code n+1} waits
 * {@code min(maxBackoff, initialBackoff * 2^(n-1))}, half of it fixed and half random ("equal jitter", so instances
 * that failed together do not retry together). A {@code Retry-After} from the endpoint replaces the computed delay;
 * one longer than {@code maxBackoff} ends the retries (the event goes to the dead-letter topic, to be replayed later,
 * rather than holding the consumer). Non-retryable failures end them at once. Pure apart from the injected sleeper.
 */
public final class Delivery {

    /** Waits between attempts; production sleeps, tests record. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration delay) throws InterruptedException;
    }

    /** The retry bounds: {@code freshen.notifier.max-attempts}, {@code initial-backoff}, {@code max-backoff}. */
    public record Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("max-attempts must be at least 1, was " + maxAttempts);
            }
            if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("need 0 <= initial-backoff <= max-backoff, was " + initialBackoff
                        + " and " + maxBackoff);
            }
        }
    }

    /**
     * How a delivery ended: after {@code attempts} attempts, delivered when {@code failure} is null.
     * {@code interrupted} means the service is stopping: the event should be left for redelivery, not dead-lettered.
     */
    public record Outcome(int attempts, String failure, boolean interrupted) {
        public boolean delivered() {
            return failure == null;
        }
    }

    private final Settings settings;
    private final DoubleSupplier random;
    private final Sleeper sleeper;

    public Delivery(Settings settings, DoubleSupplier random, Sleeper sleeper) {
        this.settings = settings;
        this.random = random;
        this.sleeper = sleeper;
    }

    /** Runs {@code attempt} until it returns normally or the retries are exhausted. */
    public Outcome run(Runnable attempt) {
        for (int n = 1; ; n++) {
            DeliveryException failure;
            try {
                attempt.run();
                return new Outcome(n, null, false);
            } catch (DeliveryException e) {
                failure = e;
            } catch (RuntimeException e) {
                return new Outcome(n, "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), false);
            }
            if (!failure.retryable()) {
                return new Outcome(n, failure.getMessage() + " (not retried)", false);
            }
            if (n >= settings.maxAttempts()) {
                return new Outcome(n, failure.getMessage() + " (" + attempts(n) + ")", false);
            }
            Optional<Duration> asked = failure.retryAfter();
            if (asked.isPresent() && asked.get().compareTo(settings.maxBackoff()) > 0) {
                return new Outcome(n, failure.getMessage() + " and asked to retry after " + asked.get().toSeconds()
                        + " s, longer than max-backoff " + settings.maxBackoff().toSeconds() + " s ("
                        + attempts(n) + ")", false);
            }
            try {
                sleeper.sleep(asked.isPresent() ? asked.get() : backoff(n));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(n, failure.getMessage() + " (interrupted while waiting to retry)", true);
            }
        }
    }

    private static String attempts(int n) {
        return n + (n == 1 ? " attempt" : " attempts");
    }

    /** The jittered wait after failed attempt {@code attempt} (1-based) when the endpoint said nothing. */
    public Duration backoff(int attempt) {
        return new Backoff(settings.initialBackoff(), settings.maxBackoff()).delay(attempt, random.getAsDouble());
    }

    /**
     * A {@code Retry-After} header value (delay-seconds or an HTTP-date) as a delay from {@code now}; empty when
     * malformed. A date in the past means "now".
     */
    public static Optional<Duration> parseRetryAfter(String value, Instant now) {
        String text = value == null ? "" : value.strip();
        if (text.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration until = Duration.between(now, at);
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
