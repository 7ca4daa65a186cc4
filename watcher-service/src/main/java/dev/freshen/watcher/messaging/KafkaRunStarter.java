package dev.freshen.watcher.messaging;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.Durations;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.FreshenEvent;
import dev.freshen.watcher.RunNotStartedException;
import dev.freshen.watcher.RunStarter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts runs by publishing their trigger event and waiting until Kafka has acknowledged it. */
@ApplicationScoped
public class KafkaRunStarter implements RunStarter {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final WatcherEvents events;

    @Inject
    public KafkaRunStarter(WatcherEvents events) {
        this.events = events;
    }

    @Override
    public void start(FreshenEvent trigger) {
        var sent = trigger instanceof BaseImageUpdated update ? events.send(update)
                : events.send((ForceUpdateRequested) trigger);
        try {
            sent.toCompletableFuture().get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunNotStartedException("interrupted while publishing " + trigger.type() + " of run "
                    + trigger.runId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new RunNotStartedException("Kafka did not take " + trigger.type() + " of run " + trigger.runId()
                    + " within " + Durations.human(SEND_TIMEOUT) + "; the run may still start once it does", e);
        }
    }
}
