package dev.freshen.watcher;

import dev.freshen.events.RollbackRequested;

/** Hands rollback requests to the publisher: publishes {@code RollbackRequested} and returns once Kafka has it. */
public interface RollbackRequests {

    /**
     * @throws RunNotStartedException when Kafka did not acknowledge it in time
     */
    void send(RollbackRequested request);
}
