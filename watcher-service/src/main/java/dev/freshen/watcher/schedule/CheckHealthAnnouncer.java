package dev.freshen.watcher.schedule;

import dev.freshen.events.ChecksFailed;
import dev.freshen.events.ChecksRecovered;
import dev.freshen.events.Durations;
import dev.freshen.events.FreshenEvent;
import dev.freshen.watcher.CheckHealth;
import dev.freshen.watcher.CheckOutcome;
import dev.freshen.watcher.CheckProblems;
import dev.freshen.watcher.ImageChecker;
import dev.freshen.watcher.messaging.WatcherEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns the outcome of every check into check health ({@link CheckHealth}), writes the {@code ChecksFailed} or
 * {@code ChecksRecovered} it answers (and applies it once Kafka has it; one that could not be sent is answered again at
 * the next check), and keeps the metrics: {@code freshen_check_failures_total{image,code}} (one per failed check) and
 * {@code freshen_image_checks_failing{image}} (1 while the image is announced as failing, else 0).
 */
@ApplicationScoped
public class CheckHealthAnnouncer {

    private static final Logger LOG = Logger.getLogger(CheckHealthAnnouncer.class);
    private static final long SEND_TIMEOUT_SECONDS = 10;

    private final ImageChecker checker;
    private final Catalog catalog;
    private final CheckHealth health;
    private final WatcherEvents events;
    private final MeterRegistry meters;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    @Inject
    public CheckHealthAnnouncer(ImageChecker checker, Catalog catalog, CheckHealth health, WatcherEvents events,
                                MeterRegistry meters) {
        this.checker = checker;
        this.catalog = catalog;
        this.health = health;
        this.events = events;
        this.meters = meters;
    }

    /** Listens to the checks before the start-up check runs. */
    void onStart(@Observes @Priority(1) StartupEvent start) {
        checker.onChecked(this::checked);
    }

    /** Counts one check's outcome; writes what it changes. Called by the checker, one check per image at a time. */
    void checked(CheckOutcome outcome) {
        String id = outcome.imageId();
        gauge(id);
        health.images().forEach(this::gauge);
        if (!outcome.passed()) {
            failures(id, outcome.code() == null ? CheckProblems.CHECK_FAILED : outcome.code()).increment();
        }
        health.record(outcome).ifPresent(this::write);
    }

    private void write(FreshenEvent event) {
        try {
            var sent = event instanceof ChecksFailed failed ? events.send(failed) : events.send((ChecksRecovered) event);
            sent.toCompletableFuture().get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.warnf("%s: '%s' could not be sent (%s); trying again at the next check", event.imageId(),
                    event.type().topic(), e.getMessage());
            return;
        }
        health.apply(event);
        if (event instanceof ChecksFailed failed) {
            LOG.warnf("%s: checks failing, %d in a row since %s (%s): %s", failed.imageId(), failed.consecutiveFailures(),
                    failed.failingSince(), failed.code(), failed.reason());
        } else if (event instanceof ChecksRecovered recovered) {
            LOG.infof("%s: checks pass again after %d failed (failing for %s)", recovered.imageId(),
                    recovered.failedCycles(), Durations.human(Duration.between(recovered.failingSince(),
                            recovered.recoveredAt())));
        }
    }

    private Counter failures(String imageId, String code) {
        return Counter.builder("freshen.check.failures").description("Failed checks of an image, by problem code")
                .tag("image", imageId).tag("code", code).register(meters);
    }

    /**
     * Registers {@code freshen_image_checks_failing{image}} for an image, once, and its
     * {@code freshen_check_failures_total{image,code}} at 0 for every code, so that a first failure is an increase
     * ({@code increase()} over a series that appears at 1 reads 0) and the dashboard has the series before it. An image whose folder is gone reads 0:
     * it is not checked any more, so no check can end its streak, and an alert on it would never clear.
     */
    private void gauge(String imageId) {
        if (gauged.add(imageId)) {
            Gauge.builder("freshen.image.checks.failing", health, h -> h.failing(imageId) && known(imageId) ? 1 : 0)
                    .description("1 while the image's checks are announced as failing (ChecksFailed), else 0")
                    .tag("image", imageId).strongReference(true).register(meters);
            CheckProblems.CODES.forEach(code -> failures(imageId, code));
        }
    }

    /** Whether {@code imageId} has a folder: a watched image, or one whose descriptor is invalid. */
    private boolean known(String imageId) {
        var scan = catalog.get();
        return scan.images().containsKey(imageId) || scan.error(imageId).isPresent();
    }
}
