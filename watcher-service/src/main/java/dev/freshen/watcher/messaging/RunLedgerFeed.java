package dev.freshen.watcher.messaging;

import dev.freshen.events.ChecksFailed;
import dev.freshen.events.ChecksRecovered;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.Topics;
import dev.freshen.messaging.TopicFollower;
import dev.freshen.watcher.CheckHealth;
import dev.freshen.watcher.ImageChecker;
import dev.freshen.watcher.Rollbacks;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.WatchStates;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Feeds the {@link RunLedger} from the run topics (triggers, each stage's event, terminal events), always from the
 * beginning: the ledger is rebuilt from Kafka at every start, so a restarted watcher knows every run that exists and
 * how far each got. Also reads {@code freshen.image-watch-changed} into the {@link WatchStates}, so that the watcher
 * knows what it announced last for each image before it decides anything, and {@code freshen.image-rolled-back} into
 * the {@link Rollbacks} (with the publishes, which end a rollback), and {@code freshen.checks-failed} and
 * {@code freshen.checks-recovered} into the {@link CheckHealth}, so that a restarted watcher knows which images it
 * announced as failing: one catch-up point for all.
 *
 * <p>A publish read after the catch-up that is new to the ledger and the image's newest goes on to
 * {@link ParentPublishes}, which starts the image's children; replayed publishes start nothing.
 */
@ApplicationScoped
public class RunLedgerFeed {

    static final List<String> TOPICS = List.of(Topics.BASE_IMAGE_UPDATED, Topics.FORCE_UPDATE, Topics.IMAGE_BUILT,
            Topics.IMAGE_VERIFIED, Topics.IMAGE_PUBLISHED, Topics.PIPELINE_FAILED, Topics.IMAGE_WATCH_CHANGED,
            Topics.IMAGE_ROLLED_BACK, Topics.CHECKS_FAILED, Topics.CHECKS_RECOVERED);

    private final TopicFollower follower;

    @Inject
    public RunLedgerFeed(RunLedger ledger, ImageChecker checker, WatchStates watchStates, Rollbacks rollbacks,
                         CheckHealth checkHealth, ParentPublishes parentPublishes,
                         @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        // the follower calls back on its own thread once started, when this.follower is set
        this.follower = new TopicFollower(kafka, "freshen-watcher-run-ledger", TOPICS,
                TopicFollower.events(event -> apply(ledger, checker, watchStates, rollbacks, checkHealth, event)
                        .filter(published -> caughtUp())
                        .ifPresent(parentPublishes::published)))
                .onCaughtUp(ledger::markComplete);
    }

    void onStart(@Observes StartupEvent start) {
        follower.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        follower.close();
    }

    public boolean caughtUp() {
        return follower.caughtUp();
    }

    /** Waits until every run already on the topics has been read; false on time-out. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /**
     * Hands {@code event} to whoever keeps it.
     *
     * @return a publish that is new to the ledger and the newest of its image: one that may start children
     */
    static Optional<ImagePublished> apply(RunLedger ledger, ImageChecker checker, WatchStates watchStates,
                                          Rollbacks rollbacks, CheckHealth checkHealth, FreshenEvent event) {
        if (event instanceof ChecksFailed || event instanceof ChecksRecovered) {
            checkHealth.apply(event);
            return Optional.empty();
        }
        if (event instanceof ImageWatchChanged changed) {
            watchStates.apply(changed);
            return Optional.empty();
        }
        if (event instanceof ImageRolledBack rolledBack) {
            rollbacks.apply(rolledBack);
            return Optional.empty();
        }
        boolean added = ledger.apply(event);
        if (event instanceof ImagePublished published) {
            checker.published(published);
            rollbacks.published(published);
            if (added && ledger.lastPublished(published.imageId()).map(published.image()::equals).orElse(false)) {
                return Optional.of(published);
            }
        }
        return Optional.empty();
    }
}
