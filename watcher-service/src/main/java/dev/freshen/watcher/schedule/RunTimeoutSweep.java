package dev.freshen.watcher.schedule;

import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.RunTimeouts;
import dev.freshen.watcher.config.WatcherConfig;
import dev.freshen.watcher.messaging.WatcherEvents;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every {@code freshen.watcher.run-timeout.check-interval}, ends the runs whose awaited stage has not answered within
 * its budget ({@link RunTimeouts}): emits their {@code PipelineFailed} (kind {@code timed-out}) and applies it to the
 * run ledger at once, so the next sweep does not emit it again. Waits until the ledger has read the topics, so a
 * restarted watcher judges every run by its events, not by what it happened to see since the start.
 */
@ApplicationScoped
public class RunTimeoutSweep {

    private static final Logger LOG = Logger.getLogger(RunTimeoutSweep.class);
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final RunLedger ledger;
    private final WatcherEvents events;
    private final RunTimeouts timeouts;
    private final Clock clock;

    @Inject
    public RunTimeoutSweep(RunLedger ledger, WatcherEvents events, WatcherConfig config, Clock clock) {
        this.ledger = ledger;
        this.events = events;
        WatcherConfig.RunTimeout budgets = config.watcher().runTimeout();
        this.timeouts = new RunTimeouts(Map.of(Stage.BUILD, budgets.build(), Stage.TEST, budgets.test(),
                Stage.PUBLISH, budgets.publish()));
        this.clock = clock;
    }

    @Scheduled(every = "${freshen.watcher.run-timeout.check-interval:1m}",
            delayed = "${freshen.watcher.run-timeout.check-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (!ledger.complete()) {
            return;
        }
        for (PipelineFailed failed : timeouts.expired(ledger.inFlight(), clock.instant())) {
            try {
                events.send(failed).toCompletableFuture().get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                ledger.apply(failed);
                LOG.warnf("Run %s (%s) timed out: %s", failed.runId(), failed.imageId(), failed.reason());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warnf("Run %s (%s) timed out, but its end could not be sent (%s); trying again at the next sweep",
                        failed.runId(), failed.imageId(), e.getMessage());
            }
        }
    }
}
