package dev.freshen.watcher;

import dev.freshen.events.BaseImage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.freshen.watcher.ChainFixture.APP;
import static dev.freshen.watcher.ChainFixture.ASPNET;
import static dev.freshen.watcher.ChainFixture.ASPNET_TAG;
import static dev.freshen.watcher.ChainFixture.RUNTIME;
import static dev.freshen.watcher.ChainFixture.RUNTIME_TAG;
import static dev.freshen.watcher.ChainFixture.UPSTREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ImageChecker} over images built on each other (base/runtime, base/aspnet FROM runtime's tag, team/app FROM
 * aspnet's), with a fake registry: parents first, one run per image and change, the event and the poll path agreeing.
 */
class ImageCheckerChainTest {

    static final Digest U1 = SampleEvents.digest('1');
    static final Digest U2 = SampleEvents.digest('2');
    static final Digest R1 = SampleEvents.digest('3');
    static final Digest R2_INDEX = SampleEvents.digest('4');
    static final Digest R2_AMD64 = SampleEvents.digest('5');
    static final Digest A1 = SampleEvents.digest('6');
    static final Digest P1 = SampleEvents.digest('7');

    @TempDir
    Path root;

    /** Everything published and up to date: runtime from U1, aspnet from R1, app from A1. */
    private ChainFixture upToDate(boolean aspnetUsesUpstreamToo) throws IOException {
        ChainFixture chain = new ChainFixture(root, aspnetUsesUpstreamToo);
        chain.upstreamAt(U1);
        chain.publishedAt(RUNTIME, R1, Map.of(UPSTREAM, U1));
        chain.publishedAt(ASPNET, A1, aspnetUsesUpstreamToo ? Map.of(UPSTREAM, U1, RUNTIME_TAG, R1) : Map.of(RUNTIME_TAG, R1));
        chain.publishedAt(APP, P1, Map.of(ASPNET_TAG, A1));
        return chain;
    }

    @Test
    void theEventPathAndThePollPathGiveTheSameRunPinnedToThePlatformManifestOfTheParentsIndex() throws IOException {
        ChainFixture chain = upToDate(false);
        chain.upstreamAt(U2);
        ImagePublished publish = chain.publish("b-runtime-2", RUNTIME, R2_INDEX, R2_AMD64, Map.of(UPSTREAM, U2));
        ImageChecker.ParentPublish hint = new ImageChecker.ParentPublish(RUNTIME, publish.runId(), publish.image(),
                publish.tags());

        CheckOutcome byEvent = chain.checker.check(ASPNET, hint);

        assertEquals(CheckOutcome.Result.RUN_STARTED, byEvent.result(), byEvent.message());
        BaseImageUpdated event = (BaseImageUpdated) chain.started.get(0);
        assertEquals(List.of(R2_AMD64), event.baseImages().stream().map(BaseImage::digest).toList(),
                "pinned to the linux/amd64 manifest of the published index");
        Trigger trigger = event.trigger();
        assertEquals(Trigger.Kind.PARENT_PUBLISHED, trigger.kind());
        assertEquals(new Trigger.Parent(RUNTIME, publish.image().tag(), "b-runtime-2", RUNTIME_TAG.withDigest(R2_AMD64)),
                trigger.parent());
        assertEquals(List.of(APP), trigger.dependents());
        assertEquals(event.definition(), event.contentHash(), "the definition hash is the hash in the run id");

        assertEquals(CheckOutcome.Result.RUN_EXISTS, chain.checker.check(ASPNET).result(),
                "a poll after the event finds the run");
        RunLedger otherLedger = new RunLedger();
        otherLedger.markComplete();
        otherLedger.apply(publish);
        CheckOutcome byPoll = chain.newChecker(otherLedger).check(ASPNET);
        assertEquals(CheckOutcome.Result.RUN_STARTED, byPoll.result());
        assertEquals(byEvent.runId(), byPoll.runId(), "the poll alone gives the same run id");
        assertEquals("b-runtime-2", otherLedger.run(byPoll.runId()).orElseThrow().trigger().parent().runId(),
                "the poll names the parent's run from the ledger");
        assertEquals(1, chain.started.size());
    }

    @Test
    void aChildThatAlsoUsesTheUpstreamBaseBuildsOnceAfterItsParent() throws IOException {
        ChainFixture chain = upToDate(true);
        chain.upstreamAt(U2);

        CheckOutcome first = chain.checker.check(ASPNET);

        assertEquals(CheckOutcome.Result.HELD, first.result(), first.message());
        assertEquals(1, chain.started.size(), "the parent's run started, not the child's");
        BaseImageUpdated runtimeRun = (BaseImageUpdated) chain.started.get(0);
        assertEquals(RUNTIME, runtimeRun.imageId());
        assertEquals(Trigger.Kind.BASE_IMAGE_UPDATED, runtimeRun.trigger().kind());
        assertEquals(List.of(ASPNET, APP), runtimeRun.trigger().dependents());
        assertEquals(new ChainGuard.Hold(RUNTIME, runtimeRun.runId(), ChainGuard.Hold.IN_FLIGHT), first.waitsOn());
        assertTrue(first.message().contains("waits on base/runtime's run " + runtimeRun.runId() + " in flight"), first.message());
        assertNull(first.runId());

        assertEquals(CheckOutcome.Result.HELD, chain.checker.check(ASPNET).result(), "still in flight");
        assertEquals(CheckOutcome.Result.UP_TO_DATE, chain.checker.check(APP).result(), "aspnet has not moved yet");
        assertEquals(1, chain.started.size());

        ImagePublished publish = chain.publish(runtimeRun.runId(), RUNTIME, R2_INDEX, R2_AMD64, Map.of(UPSTREAM, U2));
        CheckOutcome afterPublish = chain.checker.check(ASPNET,
                new ImageChecker.ParentPublish(RUNTIME, publish.runId(), publish.image(), publish.tags()));

        assertEquals(CheckOutcome.Result.RUN_STARTED, afterPublish.result(), afterPublish.message());
        BaseImageUpdated aspnetRun = (BaseImageUpdated) chain.started.get(1);
        assertEquals(Trigger.Kind.PARENT_PUBLISHED, aspnetRun.trigger().kind(), "the parent moved: parent-published");
        assertEquals(List.of(U2, R2_AMD64), aspnetRun.baseImages().stream().map(BaseImage::digest).toList());
        assertEquals(CheckOutcome.Result.RUN_EXISTS, chain.checker.check(ASPNET).result());
        assertEquals(2, chain.started.size(), "aspnet built once");
    }

    @Test
    void aParentTagThatDoesNotExistYetHoldsTheChildWithoutAnError() throws IOException {
        ChainFixture chain = new ChainFixture(root, false);
        chain.upstreamAt(U1);

        CheckOutcome outcome = chain.checker.check(ASPNET);

        assertEquals(CheckOutcome.Result.HELD, outcome.result());
        assertTrue(outcome.passed(), "not a failed check");
        assertEquals(new ChainGuard.Hold(RUNTIME, null, ChainGuard.Hold.NEVER_PUBLISHED), outcome.waitsOn());
        assertTrue(outcome.message().contains("waits on base/runtime's first publish"), outcome.message());
        assertEquals(List.of(), chain.started);
    }

    @Test
    void aChildWhoseParentsRunFailedWaitsUntilTheParentIsFine() throws IOException {
        ChainFixture chain = upToDate(true);
        chain.upstreamAt(U2);
        chain.checker.check(RUNTIME);
        String runtimeRun = ((BaseImageUpdated) chain.started.get(0)).runId();
        chain.fail(runtimeRun, RUNTIME);

        CheckOutcome outcome = chain.checker.check(ASPNET);

        assertEquals(new ChainGuard.Hold(RUNTIME, runtimeRun, ChainGuard.Hold.FAILED), outcome.waitsOn());
        assertTrue(outcome.message().contains("waits on base/runtime's failed run " + runtimeRun), outcome.message());
        assertEquals(1, chain.started.size());

        chain.upstreamAt(U1); // the upstream change is undone: the parent is up to date again
        assertEquals(CheckOutcome.Result.UP_TO_DATE, chain.checker.check(RUNTIME).result());
        chain.publishedAt(ASPNET, A1, Map.of(UPSTREAM, U1, RUNTIME_TAG, SampleEvents.digest('8')));
        assertEquals(CheckOutcome.Result.RUN_STARTED, chain.checker.check(ASPNET).result(), "no longer held");
    }

    @Test
    void forcedRunsIgnoreHoldsAndNameTheDependents() throws IOException {
        ChainFixture chain = upToDate(false);
        chain.upstreamAt(U2);
        chain.checker.check(RUNTIME); // in flight

        ForceUpdateRequested forced = chain.checker.forceUpdate(ASPNET, "try it", "test");

        assertEquals(forced, chain.started.get(1));
        assertEquals(List.of(APP), forced.dependents());
        assertEquals(List.of(APP), forced.trigger().dependents());
    }
}
