package dev.freshen.watcher.schedule;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.WatchState;
import dev.freshen.watcher.PublishedVersions;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.WatchStates;
import dev.freshen.watcher.messaging.WatcherEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Writes an {@link ImageWatchChanged} for every image whose watch state changed since the last one written for it
 * ({@link WatchStates}): after each rescan and once at start-up, and only once the run ledger feed has read the topics
 * (so that the last states written before a restart are known). An event is applied to the states once Kafka has it;
 * one that could not be sent is tried again after the next rescan.
 */
@ApplicationScoped
public class WatchAnnouncer {

    private static final Logger LOG = Logger.getLogger(WatchAnnouncer.class);
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final Catalog catalog;
    private final WatchStates states;
    private final RunLedger ledger;
    private final PublishedVersions published;
    private final WatcherEvents events;
    private final Clock clock;

    @Inject
    public WatchAnnouncer(Catalog catalog, WatchStates states, RunLedger ledger, PublishedVersions published,
                          WatcherEvents events, Clock clock) {
        this.catalog = catalog;
        this.states = states;
        this.ledger = ledger;
        this.published = published;
        this.events = events;
        this.clock = clock;
    }

    /** Announces what changed; does nothing before the topics have been read. */
    public synchronized void announce() {
        if (!ledger.complete()) {
            return;
        }
        PlatformImageCatalog.Scan scan = catalog.get();
        var changes = states.changes(scan, clock.instant(),
                id -> published.of(id, scan.image(id).map(i -> i.descriptor().target())
                        .or(() -> scan.error(id).flatMap(e -> e.target())).orElse(null), scan.image(id).isEmpty()),
                id -> ledger.hasRuns(id) || ledger.lastPublished(id).isPresent());
        for (ImageWatchChanged change : changes) {
            try {
                events.send(change).toCompletableFuture().get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warnf("%s: the change of its watch state to %s could not be sent (%s); trying again after the "
                        + "next rescan", change.imageId(), change.state(), e.getMessage());
                return;
            }
            states.apply(change);
            if (change.state().equals(WatchState.INVALID)) {
                LOG.warnf("%s is not watched any more (change %s): %s", change.imageId(), change.runId(),
                        change.problems().stream().map(ImageWatchChanged.Problem::text).collect(Collectors.joining("; ")));
            } else {
                LOG.infof("%s is watched again (change %s)", change.imageId(), change.runId());
            }
        }
    }
}
