package dev.freshen.watcher.messaging;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.Durations;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.RollbackRequested;
import dev.freshen.watcher.RunNotStartedException;
import dev.freshen.watcher.RollbackRequests;
import dev.freshen.watcher.RunStarter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts runs by publishing their trigger event, and hands rollback requests to the publisher, waiting until Kafka
 * has acknowledged the event.
 */
@ApplicationScoped
public class KafkaRunStarter implements RunStarter, RollbackRequests {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final WatcherEvents events;

    @Inject
    public KafkaRunStarter(WatcherEvents events) {
        this.events = events;
    }

    @Override
    public void start(FreshenEvent trigger) {
        await(trigger, trigger instanceof BaseImageUpdated update ? events.send(update)
                : events.send((ForceUpdateRequested) trigger));
    }

    @Override
    public void send(RollbackRequested request) {
        await(request, events.send(request));
    }

    private static void await(FreshenEvent trigger, CompletionStage<Void> sent) {
        try {
            sent.toCompletableFuture().get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunNotStartedException("interrupted while publishing " + trigger.type() + " of "
                    + (trigger.type().isRunEvent() ? "run " : "rollback ") + trigger.runId(), e);
        } catch (ExecutionException | TimeoutException e) {
            String what = trigger.type().isRunEvent() ? "run" : "rollback";
            throw new RunNotStartedException("Kafka did not take " + trigger.type() + " of " + what + " "
                    + trigger.runId() + " within " + Durations.human(SEND_TIMEOUT) + "; the " + what
                    + (what.equals("run") ? " may still start" : " may still happen") + " once it does", e);
        }
    }
}
