package dev.freshen.notifier;

/** A notification that did not reach its endpoint; the message names the channel and the HTTP status, never the URL. */
public class DeliveryException extends RuntimeException {

    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
