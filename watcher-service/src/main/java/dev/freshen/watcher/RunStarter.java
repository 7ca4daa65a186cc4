package dev.freshen.watcher;

import dev.freshen.events.FreshenEvent;

/** Starts runs: publishes a {@code BaseImageUpdated} or {@code ForceUpdateRequested} and returns once Kafka has it. */
public interface RunStarter {

    void start(FreshenEvent trigger);
}
