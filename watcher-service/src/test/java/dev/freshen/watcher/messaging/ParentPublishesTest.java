package dev.freshen.watcher.messaging;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.TagOwners;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.testing.SampleEvents;
import dev.freshen.watcher.ChainFixture;
import dev.freshen.watcher.CheckHealth;
import dev.freshen.watcher.Rollbacks;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.WatchStates;
import dev.freshen.watcher.schedule.Catalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.freshen.watcher.ChainFixture.APP;
import static dev.freshen.watcher.ChainFixture.ASPNET;
import static dev.freshen.watcher.ChainFixture.ASPNET_TAG;
import static dev.freshen.watcher.ChainFixture.RUNTIME;
import static dev.freshen.watcher.ChainFixture.RUNTIME_TAG;
import static dev.freshen.watcher.ChainFixture.UPSTREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A parent's publish starts its children ({@link ParentPublishes}), and only a publish that is new and the image's
 * newest gets there ({@link RunLedgerFeed#apply}): replays start nothing.
 */
class ParentPublishesTest {

    static final Digest U1 = SampleEvents.digest('1');
    static final Digest R1 = SampleEvents.digest('3');
    static final Digest R2 = SampleEvents.digest('4');
    static final Digest R3 = SampleEvents.digest('5');

    @TempDir
    Path root;
    ChainFixture chain;
    Catalog catalog;
    final ExecutorService worker = Executors.newSingleThreadExecutor();

    @BeforeEach
    void chain() throws IOException {
        chain = new ChainFixture(root, false);
        chain.upstreamAt(U1);
        chain.publishedAt(RUNTIME, R1, Map.of(UPSTREAM, U1));
        chain.publishedAt(ASPNET, SampleEvents.digest('6'), Map.of(RUNTIME_TAG, R1));
        chain.publishedAt(APP, SampleEvents.digest('7'), Map.of(ASPNET_TAG, SampleEvents.digest('6')));
        catalog = new Catalog(new PlatformImageCatalog(root, TagOwners.NONE, ChainFixture.REGISTRY));
    }

    @Test
    void aPublishChecksTheChildrenWhoseFromNamesAPublishedTag() throws InterruptedException {
        ImagePublished publish = chain.publish("b-runtime-2", RUNTIME, R2, R2, Map.of(UPSTREAM, U1));
        ParentPublishes publishes = new ParentPublishes(catalog, chain.checker, true, worker);

        assertEquals(List.of(ASPNET), publishes.children(publish), "children only; team/app follows aspnet's publish");
        publishes.published(publish);
        worker.shutdown();
        assertTrue(worker.awaitTermination(10, TimeUnit.SECONDS));

        assertEquals(1, chain.started.size());
        BaseImageUpdated run = (BaseImageUpdated) chain.started.get(0);
        assertEquals(ASPNET, run.imageId());
        assertEquals(Trigger.Kind.PARENT_PUBLISHED, run.trigger().kind());
        assertEquals("b-runtime-2", run.trigger().parent().runId());

        ImagePublished versionTagOnly = new ImagePublished("b-runtime-3", RUNTIME, 1, publish.occurredAt(),
                publish.trigger(), publish.baseImages(), publish.image(), publish.version(), List.of(publish.image().tag()),
                List.of());
        assertEquals(List.of(), publishes.children(versionTagOnly), "aspnet is FROM the extra tag, which did not move");
    }

    @Test
    void switchedOffAPublishStartsNothing() {
        ImagePublished publish = chain.publish("b-runtime-2", RUNTIME, R2, R2, Map.of(UPSTREAM, U1));
        new ParentPublishes(catalog, chain.checker, false, worker).published(publish);
        worker.shutdown();
        assertEquals(List.of(), chain.started);
    }

    @Test
    void onlyANewPublishThatIsTheImagesNewestGoesOn() {
        ImagePublished older = chain.publish("b-runtime-2", RUNTIME, R2, R2, Map.of(UPSTREAM, U1));
        ImagePublished newer = chain.publish("b-runtime-3", RUNTIME, R3, R3, Map.of(UPSTREAM, U1));
        RunLedger ledger = new RunLedger();
        var watchStates = new WatchStates();
        var rollbacks = new Rollbacks();
        var health = new CheckHealth(3);

        assertEquals(Optional.of(newer), RunLedgerFeed.apply(ledger, chain.checker, watchStates, rollbacks, health, newer));
        assertEquals(Optional.empty(), RunLedgerFeed.apply(ledger, chain.checker, watchStates, rollbacks, health, newer),
                "read again");
        assertEquals(Optional.empty(), RunLedgerFeed.apply(ledger, chain.checker, watchStates, rollbacks, health, older),
                "new, but an older publish than the newest");
    }
}
