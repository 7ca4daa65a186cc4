package dev.freshen.retry;

/**
 * The service is stopping while a record's work waits or runs (its thread was interrupted): the record is neither
 * acknowledged nor dead-lettered, so that it is delivered again, to this service after its restart or to another
 * instance. Not a failure of the run. {@link Retry} throws it whenever an interrupt ends the retries; whoever catches
 * it must not turn it into a failure ({@code Inbound.dispatch} in {@code freshen-messaging} leaves the record
 * unacknowledged).
 */
public class StopRequested extends RuntimeException {

    public StopRequested(String message) {
        super(message);
    }

    public StopRequested(String message, Throwable cause) {
        super(message, cause);
    }
}
