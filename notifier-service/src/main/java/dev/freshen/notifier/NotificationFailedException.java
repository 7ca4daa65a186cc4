package dev.freshen.notifier;

/**
 * An event that could not be announced on every channel it should reach, even after the retries. Its message lists
 * each failed channel with its error (never a URL) and the channels that did receive it; it becomes the
 * {@code dead-letter-reason} header of the record on {@code freshen.notifier.dlq}.
 */
public class NotificationFailedException extends RuntimeException {

    public NotificationFailedException(String message) {
        super(message);
    }
}
