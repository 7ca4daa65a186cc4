package dev.freshen.registry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed registry request again and how long to wait: transient failures (I/O errors, timeouts, 5xx,
 * 429) are retried up to {@code maxAttempts} attempts in all; the wait is the response's {@code Retry-After} (429 and
 * 503, seconds or HTTP date, at most 60s) or exponential backoff from {@code initialBackoff} with jitter (half fixed,
 * half random), at most 30s.
 */
final class RetryPolicy {

    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final DoubleSupplier random;

    RetryPolicy(int maxAttempts, Duration initialBackoff, DoubleSupplier random) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.random = random;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    static boolean isTransientStatus(int status) {
        return status == 429 || (status >= 500 && status <= 599);
    }

    /** The wait before the attempt after {@code failedAttempts} (1 after the first failure). */
    Duration backoff(int failedAttempts) {
        long initial = Math.max(1, initialBackoff.toMillis());
        int doublings = Math.min(failedAttempts - 1, 30);
        long base = Math.min(MAX_BACKOFF.toMillis(), initial * (1L << doublings));
        long half = base / 2;
        return Duration.ofMillis(base - half + (long) (random.getAsDouble() * half));
    }

    /** The wait after a transient status: {@code Retry-After} when a 429 or 503 carries one, else {@link #backoff}. */
    Duration delay(int failedAttempts, int status, Optional<String> retryAfter, Instant now) {
        if (status == 429 || status == 503) {
            Optional<Duration> asked = retryAfter.flatMap(value -> parseRetryAfter(value, now));
            if (asked.isPresent()) {
                return asked.get();
            }
        }
        return backoff(failedAttempts);
    }

    /** A {@code Retry-After} value (delay-seconds or HTTP-date) as a wait from {@code now}, capped at 60s. */
    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        Duration wait;
        if (text.chars().allMatch(Character::isDigit)) {
            wait = text.length() > 6 ? MAX_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(text));
        } else {
            try {
                wait = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
    }
}
