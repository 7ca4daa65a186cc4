package dev.freshen.messaging;

/**
 * The service is stopping while a record's work waits or runs (its thread was interrupted): the record is neither
 * acknowledged nor dead-lettered, so that it is delivered again, to this service after its restart or to another
 * instance. Not a failure of the run.
 */
public class StopRequested extends RuntimeException {

    public StopRequested(String message) {
        super(message);
    }
}
