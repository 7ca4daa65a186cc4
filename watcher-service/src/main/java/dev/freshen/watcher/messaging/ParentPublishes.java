package dev.freshen.watcher.messaging;

import dev.freshen.descriptor.ImageGraph;
import dev.freshen.events.ImagePublished;
import dev.freshen.watcher.ImageChecker;
import dev.freshen.watcher.config.WatcherConfig;
import dev.freshen.watcher.schedule.Catalog;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Starts the children of a platform image that published, at once, without waiting for their next poll: every
 * watched image whose FROM names one of the tags the publish put on the image is checked with the publish as a hint
 * ({@link ImageChecker#check(String, ImageChecker.ParentPublish)}: the parent base pinned to the published digest,
 * trigger {@code parent-published}), one image at a time on one worker thread, parents before children
 * ({@link ImageGraph#order()}). A check that finds nothing to do (the run exists, the child is held by another
 * ancestor) starts nothing; a failed check is logged and left to the child's next poll.
 *
 * <p>Fed by {@link RunLedgerFeed} only with publishes that are new after the topics were caught up with (D13): the
 * publishes replayed at start-up or after a lost connection start nothing; a publish missed while the watcher was down
 * is found by the start-up check or the next poll, with the run id this path would have given. Off with
 * {@code freshen.watcher.start-children-on-publish=false} (chaining by polling only).
 */
@ApplicationScoped
public class ParentPublishes {

    private static final Logger LOG = Logger.getLogger(ParentPublishes.class);

    private final Catalog catalog;
    private final ImageChecker checker;
    private final boolean enabled;
    private final ExecutorService worker;

    @Inject
    public ParentPublishes(Catalog catalog, ImageChecker checker, WatcherConfig config) {
        this(catalog, checker, config.watcher().startChildrenOnPublish(), Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "watcher-parent-publishes");
            thread.setDaemon(true);
            return thread;
        }));
    }

    /** @param worker runs the children's checks; one thread keeps them in order */
    public ParentPublishes(Catalog catalog, ImageChecker checker, boolean enabled, ExecutorService worker) {
        this.catalog = catalog;
        this.checker = checker;
        this.enabled = enabled;
        this.worker = worker;
    }

    void onStop(@Observes ShutdownEvent stop) {
        worker.shutdownNow();
    }

    /** A new publish of {@code event.imageId()}: checks its children (on the worker thread). */
    public void published(ImagePublished event) {
        if (!enabled) {
            return;
        }
        try {
            worker.execute(() -> startChildren(event));
        } catch (RejectedExecutionException e) {
            LOG.debugf("Shutting down: the children of %s are left to their next check", event.imageId());
        }
    }

    /** The children of the publisher whose FROM names one of the published tags, in graph order. */
    public List<String> children(ImagePublished event) {
        ImageGraph graph = catalog.get().graph();
        return graph.descendants(event.imageId()).stream()
                .filter(child -> graph.parents(child).stream().anyMatch(edge -> edge.parentId().equals(event.imageId())
                        && event.tags().contains(edge.base().tag())))
                .toList();
    }

    private void startChildren(ImagePublished event) {
        ImageChecker.ParentPublish hint = new ImageChecker.ParentPublish(event.imageId(), event.runId(), event.image(),
                event.tags());
        for (String child : children(event)) {
            try {
                var outcome = checker.check(child, hint);
                LOG.infof("%s published %s: %s %s", event.imageId(), event.image().tag(), child,
                        outcome.result().name().toLowerCase().replace('_', '-'));
            } catch (RuntimeException e) {
                LOG.warnf("%s published %s, but the check of its child %s failed (its next check retries): %s",
                        event.imageId(), event.image().tag(), child, e.getMessage());
            }
        }
    }
}
