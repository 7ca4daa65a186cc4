package dev.freshen.events;

/**
 * A record on an event topic that cannot be processed at all: not JSON, an unknown CloudEvents type, a missing
 * required field or a value that fails validation. Such records belong in the dead-letter topic, not in a retry.
 */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
