package dev.freshen.watcher.schedule;

import dev.freshen.descriptor.PlatformImage;
import dev.freshen.watcher.ImageChecker;
import dev.freshen.watcher.config.WatcherConfig;
import dev.freshen.watcher.messaging.RunLedgerFeed;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * One scheduler job per platform image, on its descriptor's cron (or the default), kept in step with the
 * platform-images folder: added, edited and removed descriptors are picked up without a restart. At start-up, once
 * the run ledger has read the topics, every image is checked once.
 */
@ApplicationScoped
public class WatchSchedule {

    private static final Logger LOG = Logger.getLogger(WatchSchedule.class);

    private final Scheduler scheduler;
    private final Catalog catalog;
    private final ImageChecker checker;
    private final RunLedgerFeed ledgerFeed;
    private final WatcherConfig config;
    /** image id -> the cron its job runs on */
    private final Map<String, String> jobs = new HashMap<>();

    @Inject
    public WatchSchedule(Scheduler scheduler, Catalog catalog, ImageChecker checker, RunLedgerFeed ledgerFeed,
                         WatcherConfig config) {
        this.scheduler = scheduler;
        this.catalog = catalog;
        this.checker = checker;
        this.ledgerFeed = ledgerFeed;
        this.config = config;
    }

    void onStart(@Observes StartupEvent start) {
        catalog.rescan();
        reconcile();
        Executors.newSingleThreadExecutor(r -> new Thread(r, "watcher-start-check")).submit(this::checkAllOnceCaughtUp);
    }

    @Scheduled(every = "${freshen.watcher.rescan-interval:30s}", delayed = "${freshen.watcher.rescan-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rescan() {
        if (catalog.rescan()) {
            reconcile();
        }
    }

    private synchronized void reconcile() {
        Map<String, PlatformImage> images = catalog.get().images();
        for (String id : Map.copyOf(jobs).keySet()) {
            String cron = images.containsKey(id) ? cronOf(images.get(id)) : null;
            if (!jobs.get(id).equals(cron)) {
                scheduler.unscheduleJob(jobId(id));
                jobs.remove(id);
                LOG.infof("Unscheduled %s", id);
            }
        }
        for (PlatformImage image : images.values()) {
            if (!jobs.containsKey(image.id())) {
                String cron = cronOf(image);
                scheduler.newJob(jobId(image.id()))
                        .setCron(cron)
                        .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                        .setTask(execution -> checkQuietly(image.id()))
                        .schedule();
                jobs.put(image.id(), cron);
                LOG.infof("Scheduled %s on '%s'", image.id(), cron);
            }
        }
    }

    private void checkAllOnceCaughtUp() {
        if (!config.watcher().checkOnStart()) {
            return;
        }
        try {
            if (!ledgerFeed.awaitCaughtUp(config.watcher().ledgerCatchUpTimeout())) {
                LOG.errorf("The run ledger did not read the run topics within %s: start-up check skipped "
                        + "(scheduled checks go on); is Kafka reachable?", config.watcher().ledgerCatchUpTimeout());
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        catalog.get().images().keySet().forEach(this::checkQuietly);
    }

    private void checkQuietly(String imageId) {
        try {
            var outcome = checker.check(imageId);
            LOG.debugf("Checked %s: %s %s", imageId, outcome.result(), outcome.message());
        } catch (RuntimeException e) {
            LOG.warnf("Check of %s failed: %s", imageId, e.getMessage());
        }
    }

    private String cronOf(PlatformImage image) {
        String cron = image.descriptor().schedule();
        return cron == null ? config.watcher().defaultSchedule() : cron;
    }

    private static String jobId(String imageId) {
        return "watch:" + imageId;
    }
}
