package dev.freshen.watcher;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.testing.SampleEvents;
import dev.freshen.watcher.StageEntry.Event;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLedgerTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final RunLedger ledger = new RunLedger();

    @Test
    void aStartedRunIsInFlightUntilItEnds() {
        var update = SampleEvents.baseImageUpdated();
        ledger.apply(update);
        assertTrue(ledger.knows(update.runId()));
        assertEquals(update.runId(), ledger.inFlight(update.imageId()).orElseThrow().runId());

        ledger.apply(published(update.runId(), update.imageId(), Instant.now()));
        assertTrue(ledger.inFlight(update.imageId()).isEmpty());
        RunLedger.Run run = ledger.lastEnded(update.imageId()).orElseThrow();
        assertEquals(RunLedger.State.PUBLISHED, run.state());
        assertEquals("10.0-1.0.0", run.detail());
        assertEquals(update.occurredAt(), run.startedAt());
    }

    @Test
    void terminalEventReadBeforeItsTriggerStillEndsTheRun() {
        var update = SampleEvents.baseImageUpdated();
        ledger.apply(failed(update.runId(), Stage.TEST, Instant.now()));
        ledger.apply(update);
        assertTrue(ledger.inFlight(update.imageId()).isEmpty());
        assertEquals(RunLedger.State.FAILED, ledger.run(update.runId()).orElseThrow().state());
        assertEquals(update.occurredAt(), ledger.run(update.runId()).orElseThrow().startedAt());
    }

    @Test
    void unknownRunsAreUnknownAndTheLedgerStartsIncomplete() {
        assertFalse(ledger.knows("b-nothing"));
        assertTrue(ledger.run("b-nothing").isEmpty());
        assertFalse(ledger.complete());
        ledger.markComplete();
        assertTrue(ledger.complete());
    }

    @Test
    void everyStageIsRecordedInTimeOrderWithItsFacts() {
        ForceUpdateRequested forced = new ForceUpdateRequested("f-0001", "net10/runtime", 1, T0, "CVE-2026-1", "cli:alice");
        ImageBuilt built = built("f-0001", T0.plusSeconds(40));
        ImageVerified verified = verified(built, T0.plusSeconds(70));
        ImagePublished published = published("f-0001", "net10/runtime", T0.plusSeconds(75));
        // read in another order than they happened, as across topics
        ledger.apply(verified);
        ledger.apply(published);
        ledger.apply(forced);
        ledger.apply(built);

        RunLedger.Run run = ledger.run("f-0001").orElseThrow();
        assertEquals(List.of(Event.FORCE_UPDATE_REQUESTED, Event.IMAGE_BUILT, Event.IMAGE_VERIFIED, Event.IMAGE_PUBLISHED),
                run.stages().stream().map(StageEntry::event).toList());
        assertEquals(List.of(Stage.DETECT, Stage.BUILD, Stage.TEST, Stage.PUBLISH),
                run.stages().stream().map(StageEntry::stage).toList());
        assertEquals(List.of(T0, T0.plusSeconds(40), T0.plusSeconds(70), T0.plusSeconds(75)),
                run.stages().stream().map(StageEntry::at).toList());

        StageEntry trigger = run.stages().get(0);
        assertEquals("CVE-2026-1", trigger.reason());
        assertEquals("cli:alice", trigger.requestedBy());
        assertEquals(Trigger.forced("CVE-2026-1", "cli:alice"), run.trigger());
        StageEntry build = run.stages().get(1);
        assertEquals(built.candidate(), build.candidate());
        assertEquals(1, build.warnings());
        assertEquals(built.candidate(), run.stages().get(2).candidate());
        assertEquals(1, run.stages().get(2).checks());
        StageEntry publish = run.stages().get(3);
        assertEquals(published.image(), publish.image());
        assertEquals("1.0.0", publish.version());
        assertEquals(List.of("10.0-1.0.0", "latest"), publish.tags());

        assertEquals(RunLedger.State.PUBLISHED, run.state());
        assertEquals(T0, run.startedAt());
        assertEquals(T0.plusSeconds(75), run.endedAt());
    }

    @Test
    void aFailureRecordsStageKindAndReasonButNotTheLog() {
        BaseImageUpdated update = new BaseImageUpdated("b-0001", "net10/runtime", 1, T0, List.of(SampleEvents.BASE), "sha256:c");
        ledger.apply(update);
        ledger.apply(built("b-0001", T0.plusSeconds(30)));
        ledger.apply(failed("b-0001", Stage.TEST, T0.plusSeconds(60)));

        RunLedger.Run run = ledger.run("b-0001").orElseThrow();
        assertEquals(RunLedger.State.FAILED, run.state());
        assertEquals("test: GET /healthz answered 500, expected 200", run.detail());
        StageEntry failure = run.outcome().orElseThrow();
        assertEquals(Event.PIPELINE_FAILED, failure.event());
        assertEquals(Stage.TEST, failure.stage());
        assertEquals(FailureKind.PERMANENT, failure.kind());
        assertEquals(List.of(SampleEvents.BASE), run.stages().get(0).baseImages());
        assertEquals(Trigger.baseImageUpdated(), run.trigger());
    }

    @Test
    void theSameEventTwiceIsOneEntryAndTheFirstOutcomeStands() {
        ForceUpdateRequested forced = new ForceUpdateRequested("f-0002", "net10/runtime", 1, T0, null, "api");
        ledger.apply(forced);
        ledger.apply(forced); // emitted by the watcher, then read back from the topic
        ledger.apply(failed("f-0002", Stage.BUILD, T0.plusSeconds(5)));
        ledger.apply(published("f-0002", "net10/runtime", T0.plusSeconds(9)));

        RunLedger.Run run = ledger.run("f-0002").orElseThrow();
        assertEquals(3, run.stages().size());
        assertEquals(RunLedger.State.FAILED, run.state());
        assertEquals(T0.plusSeconds(5), run.endedAt());
    }

    @Test
    void applySaysWhetherTheEntryWasNew() {
        ForceUpdateRequested forced = new ForceUpdateRequested("f-0003", "net10/runtime", 1, T0, null, "api");
        assertTrue(ledger.apply(forced));
        assertFalse(ledger.apply(forced), "read back from the topic");
        ImagePublished publish = published("f-0003", "net10/runtime", T0.plusSeconds(9));
        assertTrue(ledger.apply(publish));
        assertFalse(ledger.apply(publish), "read again after a lost connection");
    }

    @Test
    void theNewestRunAndTheRunThatPublishedADigest() {
        ledger.apply(new ForceUpdateRequested("f-0010", "net10/runtime", 1, T0, null, "api"));
        ImagePublished first = published("f-0010", "net10/runtime", T0.plusSeconds(9));
        ledger.apply(first);
        ledger.apply(new ForceUpdateRequested("f-0011", "net10/runtime", 1, T0.plusSeconds(60), null, "api"));
        ledger.apply(failed("f-0011", Stage.BUILD, T0.plusSeconds(70)));
        ledger.apply(new ForceUpdateRequested("f-0012", "net10/other", 1, T0.plusSeconds(90), null, "api"));

        assertEquals("f-0011", ledger.newest("net10/runtime").orElseThrow().runId());
        assertEquals("f-0010", ledger.publishedRun("net10/runtime", first.digest()).orElseThrow().runId());
        assertTrue(ledger.publishedRun("net10/runtime", SampleEvents.digest('9')).isEmpty());
        assertTrue(ledger.publishedRun("net10/other", first.digest()).isEmpty(), "another image's publish");
        assertTrue(ledger.newest("net10/none").isEmpty());
    }

    @Test
    void aTriggersParentDefinitionAndDependentsAreKept() {
        Trigger trigger = Trigger.parentPublished(new Trigger.Parent("base/runtime", "10.0-1.3.0", "b-parent",
                        SampleEvents.imagePublished().image()))
                .withDefinition(new Trigger.DefinitionChange("sha256:" + "1".repeat(64), null,
                        List.of(new Trigger.FileChange("Dockerfile", Trigger.FileChange.MODIFIED)), 0, List.of(), 0))
                .withDependents(List.of("team/app"));
        var sample = SampleEvents.baseImageUpdated();
        ledger.apply(new BaseImageUpdated("b-0020", "base/aspnet", 1, T0, sample.baseImages(), "sha256:x", trigger));

        assertEquals(trigger, ledger.run("b-0020").orElseThrow().trigger());
    }

    @Test
    void theTriggerIsKnownFromALaterEventUntilTheTriggerEventIsRead() {
        ledger.apply(built("b-0002", T0.plusSeconds(30)));
        RunLedger.Run early = ledger.run("b-0002").orElseThrow();
        assertEquals(Trigger.baseImageUpdated(), early.trigger());
        assertNull(early.startedAt(), "not started as far as the ledger knows");
        assertTrue(ledger.inFlight("net10/runtime").isEmpty());
        assertEquals(T0.plusSeconds(30), early.firstSeen());
    }

    @Test
    void detailPerRunIsBounded() {
        ledger.apply(new ForceUpdateRequested("f-0003", "net10/runtime", 1, T0, "x".repeat(5000), "api"));
        for (int i = 1; i <= 40; i++) {
            ledger.apply(built("f-0003", T0.plusSeconds(i)));
        }
        ledger.apply(failed("f-0003", Stage.TEST, T0.plusSeconds(100)));

        RunLedger.Run run = ledger.run("f-0003").orElseThrow();
        assertEquals(RunLedger.MAX_STAGES, run.stages().size());
        assertEquals(Event.FORCE_UPDATE_REQUESTED, run.stages().get(0).event(), "the trigger is kept");
        assertEquals(Event.PIPELINE_FAILED, run.stages().get(RunLedger.MAX_STAGES - 1).event(), "the outcome is kept");
        assertEquals(T0.plusSeconds(40), run.stages().get(RunLedger.MAX_STAGES - 2).at(), "the newest stages are kept");
        assertEquals(StageEntry.MAX_TEXT, run.stages().get(0).reason().length());
        assertEquals(StageEntry.MAX_TEXT, run.trigger().reason().length());
        assertEquals(RunLedger.State.FAILED, run.state());
    }

    @Test
    void recentRunsAreNewestFirstAndCanBeNarrowedToAnImage() {
        ledger.apply(new ForceUpdateRequested("f-000a", "net10/runtime", 1, T0, null, "api"));
        ledger.apply(new ForceUpdateRequested("f-000b", "net10/aspnet", 1, T0.plusSeconds(10), null, "api"));
        ledger.apply(new ForceUpdateRequested("f-000c", "net10/runtime", 1, T0.plusSeconds(20), null, "api"));

        assertEquals(List.of("f-000c", "f-000b", "f-000a"), ledger.recent(null, 10).stream().map(RunLedger.Run::runId).toList());
        assertEquals(List.of("f-000c", "f-000b"), ledger.recent(null, 2).stream().map(RunLedger.Run::runId).toList());
        assertEquals(List.of("f-000c", "f-000a"), ledger.recent("net10/runtime", 10).stream().map(RunLedger.Run::runId).toList());
    }

    @Test
    void aLaterOutcomeThatToldOtherwiseSupersedesTheFirstWhichStaysTheOutcome() {
        var update = SampleEvents.baseImageUpdated();
        ledger.apply(update);
        PipelineFailed timedOut = new PipelineFailed(update.runId(), update.imageId(), 1, T0.plusSeconds(60), Stage.BUILD,
                FailureKind.TIMED_OUT, "no answer from the build stage within 3h 00m", null, null);
        ledger.apply(timedOut);
        ledger.apply(timedOut);
        assertTrue(ledger.run(update.runId()).orElseThrow().supersededBy().isEmpty(), "the same outcome twice is one");

        ledger.apply(published(update.runId(), update.imageId(), T0.plusSeconds(120)));
        RunLedger.Run run = ledger.run(update.runId()).orElseThrow();
        assertEquals(RunLedger.State.FAILED, run.state(), "the first outcome stays the run's outcome");
        assertEquals(Event.IMAGE_PUBLISHED, run.supersededBy().orElseThrow().event());
        assertEquals(1, ledger.recent(null, 10).size(), "never a second run");
    }

    @Test
    void anInFlightRunAwaitsTheStageAfterItsNewestEvent() {
        var update = SampleEvents.baseImageUpdated();
        ledger.apply(update);
        assertEquals(new RunLedger.Awaiting(Stage.BUILD, update.occurredAt()),
                ledger.run(update.runId()).orElseThrow().awaiting().orElseThrow());
        ImageBuilt built = built(update.runId(), update.occurredAt().plusSeconds(5));
        ledger.apply(built);
        assertEquals(new RunLedger.Awaiting(Stage.TEST, built.occurredAt()),
                ledger.run(update.runId()).orElseThrow().awaiting().orElseThrow());
        ImageVerified verified = verified(built, built.occurredAt().plusSeconds(5));
        ledger.apply(verified);
        assertEquals(new RunLedger.Awaiting(Stage.PUBLISH, verified.occurredAt()),
                ledger.run(update.runId()).orElseThrow().awaiting().orElseThrow());
        ledger.apply(published(update.runId(), update.imageId(), verified.occurredAt().plusSeconds(1)));
        assertTrue(ledger.run(update.runId()).orElseThrow().awaiting().isEmpty());
        assertEquals(List.of(), ledger.inFlight());
    }

    static ImageBuilt built(String runId, Instant at) {
        ImageBuilt sample = SampleEvents.imageBuilt();
        return new ImageBuilt(runId, SampleEvents.IMAGE_ID, 1, at, Trigger.baseImageUpdated(), sample.baseImages(),
                sample.candidate(), List.of("JSONArgsRecommended"), sample.timings());
    }

    static ImageVerified verified(ImageBuilt built, Instant at) {
        ImageVerified sample = SampleEvents.imageVerified();
        return new ImageVerified(built.runId(), built.imageId(), 1, at, built.trigger(), built.baseImages(),
                built.candidate(), sample.checks(), sample.timings());
    }

    static ImagePublished published(String runId, String imageId, Instant at) {
        ImagePublished sample = SampleEvents.imagePublished();
        return new ImagePublished(runId, imageId, 1, at, sample.trigger(), sample.baseImages(), sample.image(),
                sample.version(), sample.tags(), sample.timings());
    }

    static PipelineFailed failed(String runId, Stage stage, Instant at) {
        PipelineFailed sample = SampleEvents.pipelineFailed();
        return new PipelineFailed(runId, SampleEvents.IMAGE_ID, 1, at, stage, sample.kind(), sample.reason(),
                "a long log excerpt", sample.trigger());
    }
}
