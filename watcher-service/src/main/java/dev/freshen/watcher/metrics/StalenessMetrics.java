package dev.freshen.watcher.metrics;

import dev.freshen.watcher.ImageStaleness;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.schedule.Catalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;

/** Keeps a staleness gauge per image of the catalog: at start-up and at each rescan interval. */
@ApplicationScoped
public class StalenessMetrics {

    private final Catalog catalog;
    private final StalenessGauges gauges;

    @Inject
    public StalenessMetrics(Catalog catalog, RunLedger ledger, MeterRegistry registry) {
        this.catalog = catalog;
        this.gauges = new StalenessGauges(registry, new ImageStaleness(ledger), Clock.systemUTC());
    }

    void onStart(@Observes StartupEvent start) {
        follow();
    }

    @Scheduled(every = "${freshen.watcher.rescan-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void follow() {
        gauges.track(catalog.get().images().keySet());
    }
}
