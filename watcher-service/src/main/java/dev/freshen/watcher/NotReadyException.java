package dev.freshen.watcher;

/** The watcher cannot check yet without risking a duplicate run (its run ledger is still reading Kafka). */
public class NotReadyException extends RuntimeException {

    public NotReadyException(String message) {
        super(message);
    }
}
