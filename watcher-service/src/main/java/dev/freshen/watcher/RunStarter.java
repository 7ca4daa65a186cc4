package dev.freshen.watcher;

import dev.freshen.events.FreshenEvent;

/** Starts runs: publishes a {@code BaseImageUpdated} or {@code ForceUpdateRequested} and returns once Kafka has it. */
public interface RunStarter {

    /**
     * Publishes {@code trigger} and waits for Kafka's acknowledgement.
     *
     * @throws RunNotStartedException when Kafka did not acknowledge it in time
     */
    void start(FreshenEvent trigger);
}
