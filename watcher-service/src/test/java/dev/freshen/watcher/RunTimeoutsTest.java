package dev.freshen.watcher;

import dev.freshen.events.FailureKind;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RunTimeouts}: which runs in flight end as timed out, and what their outcome says. */
class RunTimeoutsTest {

    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    final RunTimeouts timeouts = new RunTimeouts(Map.of(Stage.BUILD, Duration.ofHours(3), Stage.TEST, Duration.ofMinutes(90),
            Stage.PUBLISH, Duration.ofMinutes(30)));
    final RunLedger ledger = new RunLedger();

    @Test
    void aRunWithinItsStageBudgetGoesOn() {
        ledger.apply(forced("f-0001", T0));
        assertEquals(List.of(), timeouts.expired(ledger.inFlight(), T0.plus(Duration.ofHours(3))));
    }

    @Test
    void aRunPastItsStageBudgetEndsTimedOutNamingTheStageItWaitedFor() {
        ledger.apply(forced("f-0001", T0));
        ImageBuilt built = RunLedgerTest.built("f-0001", T0.plusSeconds(60));
        ledger.apply(built);

        Instant now = built.occurredAt().plus(Duration.ofMinutes(90)).plusSeconds(1);
        List<PipelineFailed> expired = timeouts.expired(ledger.inFlight(), now);

        assertEquals(1, expired.size());
        PipelineFailed failed = expired.get(0);
        assertEquals("f-0001", failed.runId());
        assertEquals(Stage.TEST, failed.stage());
        assertEquals(FailureKind.TIMED_OUT, failed.kind());
        assertEquals(now, failed.occurredAt());
        assertEquals("no answer from the test stage within 1h 30m (freshen.watcher.run-timeout.test)", failed.reason());
        assertEquals(RunTimeouts.STAGE_TIMED_OUT, failed.code());
        assertEquals("Check that the tester is running and consuming (its /q/health/ready says why it pauses); if it "
                + "answers later, its outcome supersedes this one.", failed.hint());
        assertEquals("forced", failed.trigger().kind().id());
        assertFalse(failed.reason().contains("PT"), "no ISO-8601 durations in user text");
    }

    @Test
    void aTimedOutRunIsNotTimedOutAgainOnceTheLedgerHasItsEnd() {
        ledger.apply(forced("f-0001", T0));
        Instant now = T0.plus(Duration.ofHours(4));
        timeouts.expired(ledger.inFlight(), now).forEach(ledger::apply);
        assertTrue(timeouts.expired(ledger.inFlight(), now.plusSeconds(60)).isEmpty());
        assertEquals(RunLedger.State.FAILED, ledger.run("f-0001").orElseThrow().state());
    }

    @Test
    void endedRunsAndStagesWithoutABudgetNeverTimeOut() {
        RunTimeouts buildOnly = new RunTimeouts(Map.of(Stage.BUILD, Duration.ofMinutes(1)));
        ledger.apply(forced("f-0001", T0));
        ledger.apply(RunLedgerTest.built("f-0001", T0.plusSeconds(30)));
        ledger.apply(forced("f-0002", T0));
        ledger.apply(RunLedgerTest.published("f-0002", "net10/runtime", T0.plusSeconds(30)));
        assertEquals(List.of(), buildOnly.expired(ledger.inFlight(), T0.plus(Duration.ofDays(1))));
    }

    private static ForceUpdateRequested forced(String runId, Instant at) {
        return new ForceUpdateRequested(runId, "net10/runtime", 1, at, "test", "cli:ana");
    }
}
