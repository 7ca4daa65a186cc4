package dev.freshen.watcher;

import dev.freshen.descriptor.ImageGraph;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.TagOwners;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Trigger;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static dev.freshen.watcher.ChainFixture.APP;
import static dev.freshen.watcher.ChainFixture.ASPNET;
import static dev.freshen.watcher.ChainFixture.RUNTIME;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ChainGuard}: which ancestor holds an image, from the ledger, the last outcomes and checks made now. */
class ChainGuardTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path root;
    ImageGraph graph;
    final RunLedger ledger = new RunLedger();
    final Map<String, CheckOutcome> last = new HashMap<>();
    final List<String> checked = new ArrayList<>();
    ChainGuard guard;

    @BeforeEach
    void chain() throws IOException {
        new ChainFixture(root, false);
        graph = new PlatformImageCatalog(root, TagOwners.NONE, ChainFixture.REGISTRY).scan().graph();
        guard = new ChainGuard(ledger, id -> Optional.ofNullable(last.get(id)));
    }

    private Function<String, CheckOutcome> answering(Map<String, CheckOutcome.Result> results) {
        return id -> {
            checked.add(id);
            return outcome(id, results.getOrDefault(id, CheckOutcome.Result.UP_TO_DATE), T0.plusSeconds(100));
        };
    }

    private static CheckOutcome outcome(String id, CheckOutcome.Result result, Instant at) {
        return new CheckOutcome(id, at, result, "linux/amd64", Map.of(), null,
                result == CheckOutcome.Result.RUN_STARTED ? "b-" + id.replace('/', '-') : null, null, "x", null,
                null,
                result == CheckOutcome.Result.HELD ? new ChainGuard.Hold("up/stream", "b-up", ChainGuard.Hold.FAILED) : null);
    }

    private void start(String runId, String imageId, Instant at) {
        ledger.apply(new BaseImageUpdated(runId, imageId, 1, at, SampleEvents.baseImageUpdated().baseImages(), "sha256:x"));
    }

    private void fail(String runId, String imageId, Instant at, Trigger trigger) {
        PipelineFailed sample = SampleEvents.pipelineFailed();
        ledger.apply(new PipelineFailed(runId, imageId, 1, at, sample.stage(), sample.kind(), "broken", "log", trigger));
    }

    @Test
    void anImageWithAllAncestorsFineIsNotHeldAndTheyAreCheckedNearestFirst() {
        assertEquals(Optional.empty(), guard.holdFor(APP, graph, answering(Map.of())));
        assertEquals(List.of(ASPNET, RUNTIME), checked);
        assertEquals(Optional.empty(), guard.holdFor(RUNTIME, graph, answering(Map.of())), "no ancestor");
    }

    @Test
    void aRunInFlightHoldsWithoutACheck() {
        start("b-rt", RUNTIME, T0);
        assertEquals(Optional.of(new ChainGuard.Hold(RUNTIME, "b-rt", ChainGuard.Hold.IN_FLIGHT)),
                guard.holdFor(APP, graph, answering(Map.of())));
        assertEquals(List.of(ASPNET), checked, "aspnet checked, runtime read from the ledger");
        assertEquals(Optional.of(new ChainGuard.Hold(RUNTIME, "b-rt", ChainGuard.Hold.IN_FLIGHT)), guard.knownHold(APP, graph));
    }

    @Test
    void aFailedRunHoldsUntilACheckSinceFindsTheParentUpToDate() {
        start("b-rt", RUNTIME, T0);
        fail("b-rt", RUNTIME, T0.plusSeconds(10), Trigger.baseImageUpdated());
        ChainGuard.Hold failed = new ChainGuard.Hold(RUNTIME, "b-rt", ChainGuard.Hold.FAILED);
        assertEquals(Optional.of(failed), guard.holdFor(ASPNET, graph, answering(Map.of())));

        last.put(RUNTIME, outcome(RUNTIME, CheckOutcome.Result.UP_TO_DATE, T0.plusSeconds(5)));
        assertEquals(Optional.of(failed), guard.knownHold(ASPNET, graph), "a check before the failure does not count");
        last.put(RUNTIME, outcome(RUNTIME, CheckOutcome.Result.RUN_EXISTS, T0.plusSeconds(20)));
        assertEquals(Optional.of(failed), guard.knownHold(ASPNET, graph), "still the failed change");
        last.put(RUNTIME, outcome(RUNTIME, CheckOutcome.Result.UP_TO_DATE, T0.plusSeconds(20)));
        assertEquals(Optional.empty(), guard.holdFor(ASPNET, graph, answering(Map.of())));
    }

    @Test
    void aFailedRollbackHoldsNothing() {
        fail("r-0001", RUNTIME, T0, Trigger.rollback("bad version", "api:ops"));
        assertEquals(Optional.empty(), guard.holdFor(ASPNET, graph, answering(Map.of())));
    }

    @Test
    void aCheckNowThatStartsARunSettlesOrIsHeldHolds() {
        assertEquals(Optional.of(new ChainGuard.Hold(ASPNET, "b-base-aspnet", ChainGuard.Hold.IN_FLIGHT)),
                guard.holdFor(APP, graph, answering(Map.of(ASPNET, CheckOutcome.Result.RUN_STARTED))));
        assertEquals(Optional.of(new ChainGuard.Hold(RUNTIME, null, ChainGuard.Hold.SETTLING)),
                guard.holdFor(APP, graph, answering(Map.of(RUNTIME, CheckOutcome.Result.SETTLING))));
        assertEquals(Optional.of(new ChainGuard.Hold("up/stream", "b-up", ChainGuard.Hold.FAILED)),
                guard.holdFor(APP, graph, answering(Map.of(ASPNET, CheckOutcome.Result.HELD))),
                "what holds the parent holds the child");
    }

    @Test
    void aCheckThatFailsHoldsNothing() {
        assertEquals(Optional.empty(), guard.holdFor(APP, graph, id -> {
            throw new IllegalStateException("registry unreachable");
        }));
        assertEquals(Optional.empty(), guard.holdFor(APP, graph, answering(Map.of(ASPNET, CheckOutcome.Result.ERROR))));
    }

    @Test
    void holdsReadForPeople() {
        assertEquals("waits on base/aspnet's failed run b-1",
                new ChainGuard.Hold(ASPNET, "b-1", ChainGuard.Hold.FAILED).text());
        assertEquals("waits on base/runtime's first publish",
                new ChainGuard.Hold(RUNTIME, null, ChainGuard.Hold.NEVER_PUBLISHED).text());
    }
}
