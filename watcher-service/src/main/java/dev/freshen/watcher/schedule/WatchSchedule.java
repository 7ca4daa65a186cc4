package dev.freshen.watcher.schedule;

import dev.freshen.descriptor.PlatformImage;
import dev.freshen.watcher.ImageChecker;
import dev.freshen.watcher.config.WatcherConfig;
import dev.freshen.watcher.messaging.RunLedgerFeed;
import dev.freshen.events.Durations;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One scheduler job per platform image, on its descriptor's cron (or the default), kept in step with the
 * platform-images folder: added, edited and removed descriptors are picked up without a restart. At start-up, once
 * the run ledger has read the topics, every image is checked once; after that, an image is checked once as soon as
 * it is loaded (a new folder, a descriptor fixed or edited), not only at its next scheduled time
 * ({@code check-on-load}). After each rescan
 * the {@link WatchAnnouncer} announces images that stopped or started being watched. An image whose change is
 * settling (descriptor {@code settle}) is checked again when its settle window ends, not only at its next
 * scheduled time.
 */
@ApplicationScoped
public class WatchSchedule {

    private static final Logger LOG = Logger.getLogger(WatchSchedule.class);
    /** Checked this long after a settle window ends, so that the check sees it ended. */
    private static final long SETTLE_MARGIN_MS = 500;

    private final Scheduler scheduler;
    private final Catalog catalog;
    private final ImageChecker checker;
    private final RunLedgerFeed ledgerFeed;
    private final WatcherConfig config;
    private final WatchAnnouncer announcer;
    /** image id -> the cron its job runs on */
    private final Map<String, String> jobs = new HashMap<>();
    /** Checks of images as they are loaded, one at a time, off the scheduler's thread. */
    private final ExecutorService loadChecks = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "watcher-load-check");
        thread.setDaemon(true);
        return thread;
    });
    /** Checks again at the end of settle windows, one per image (a later window replaces an earlier one). */
    private final ScheduledExecutorService settleChecks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "watcher-settle-check");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, ScheduledFuture<?>> settleChecksDue = new ConcurrentHashMap<>();
    /** Images loaded before the topics were read: checked once they are (when the start-up check does not). */
    private final Set<String> loadedEarly = ConcurrentHashMap.newKeySet();

    @Inject
    public WatchSchedule(Scheduler scheduler, Catalog catalog, ImageChecker checker, RunLedgerFeed ledgerFeed,
                         WatcherConfig config, WatchAnnouncer announcer) {
        this.scheduler = scheduler;
        this.catalog = catalog;
        this.checker = checker;
        this.ledgerFeed = ledgerFeed;
        this.config = config;
        this.announcer = announcer;
    }

    void onStart(@Observes StartupEvent start) {
        checker.onSettling(this::checkAgainAt);
        catalog.rescan();
        reconcile();
        Executors.newSingleThreadExecutor(r -> new Thread(r, "watcher-start-check")).submit(this::startOnceCaughtUp);
    }

    void onStop(@Observes ShutdownEvent stop) {
        loadChecks.shutdownNow();
        settleChecks.shutdownNow();
    }

    /** Checks {@code imageId} again at {@code due} (the end of its settle window), replacing an earlier such check. */
    private void checkAgainAt(String imageId, Instant due) {
        long delay = Math.max(0, Duration.between(Instant.now(), due).toMillis()) + SETTLE_MARGIN_MS;
        ScheduledFuture<?> next = settleChecks.schedule(() -> {
            settleChecksDue.remove(imageId);
            checkQuietly(imageId);
        }, delay, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> before = settleChecksDue.put(imageId, next);
        if (before != null && before != next) {
            before.cancel(false);
        }
    }

    @Scheduled(every = "${freshen.watcher.rescan-interval:30s}", delayed = "${freshen.watcher.rescan-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rescan() {
        Catalog.Rescan rescan = catalog.rescan();
        if (rescan.changed()) {
            reconcile();
        }
        if (!ledgerFeed.caughtUp()) {
            loadedEarly.addAll(rescan.loaded());
            return;
        }
        announcer.announce();
        rescan.loaded().forEach(this::checkOnLoad);
        drainLoadedEarly();
    }

    /** Checks, once, the images loaded before the topics were read that are still watched. */
    private void drainLoadedEarly() {
        for (String id : Set.copyOf(loadedEarly)) {
            if (loadedEarly.remove(id) && catalog.get().images().containsKey(id)) {
                checkOnLoad(id);
            }
        }
    }

    /** The schedule an image is checked on: its descriptor's, else {@code freshen.watcher.default-schedule}. */
    public String scheduleOf(PlatformImage image) {
        return cronOf(image);
    }

    private void checkOnLoad(String imageId) {
        if (!config.watcher().checkOnLoad()) {
            LOG.infof("Loaded %s; it is checked on its schedule (check-on-load is off)", imageId);
            return;
        }
        LOG.infof("Checking %s now: its descriptor was loaded", imageId);
        loadChecks.submit(() -> checkQuietly(imageId));
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

    /**
     * Once the topics are read: announces watch-state changes, then checks every image (when
     * {@code check-on-start}), else those loaded meanwhile. When the topics are not read within
     * {@code ledger-catch-up-timeout} it gives up the start-up check; the rescans announce and check what was loaded
     * once they are.
     */
    private void startOnceCaughtUp() {
        try {
            if (!ledgerFeed.awaitCaughtUp(config.watcher().ledgerCatchUpTimeout())) {
                LOG.errorf("The run ledger did not read the run topics within %s: start-up check skipped "
                        + "(scheduled checks go on); is Kafka reachable?",
                        Durations.human(config.watcher().ledgerCatchUpTimeout()));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        announcer.announce();
        if (config.watcher().checkOnStart()) {
            loadedEarly.clear();
            // parents before children: a child's check then finds its parent's run instead of checking the parent
            var scan = catalog.get();
            (scan.graph().order().isEmpty() ? scan.images().keySet() : scan.graph().order()).forEach(this::checkQuietly);
        } else {
            drainLoadedEarly();
        }
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
