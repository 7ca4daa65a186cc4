package dev.freshen.notifier;

import java.time.Duration;
import java.util.Optional;

/**
 * A notification that its endpoint did not take (or could not be reached). The message names the endpoint kind and
 * the HTTP status with the channel rule's reason (or the kind of I/O error), never the URL. {@link #retryable()} says
 * whether trying again may help (time-outs, 408, 429, 5xx, a legacy Teams webhook's throttling behind a 200: see
 * {@link AnswerRule}); {@link #retryAfter()} carries the endpoint's {@code Retry-After}, when it sent one.
 */
public class DeliveryException extends RuntimeException {

    private final boolean retryable;
    private final Duration retryAfter;

    /** A retryable failure. */
    public DeliveryException(String message) {
        this(message, true, null, null);
    }

    /** A retryable failure with its cause (which must not reveal the URL either). */
    public DeliveryException(String message, Throwable cause) {
        this(message, true, null, cause);
    }

    public DeliveryException(String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
