package dev.freshen.watcher;

/**
 * Kafka did not acknowledge a run's trigger event in time ({@link RunStarter#start}): no run is known to have started.
 * The API answers {@code 503 kafka-unavailable}; the send may still complete later, so the run may start after all.
 */
public class RunNotStartedException extends RuntimeException {

    public RunNotStartedException(String message, Throwable cause) {
        super(message, cause);
    }
}
