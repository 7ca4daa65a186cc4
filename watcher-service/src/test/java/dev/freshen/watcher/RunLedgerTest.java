package dev.freshen.watcher;

import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLedgerTest {

    private final RunLedger ledger = new RunLedger();

    @Test
    void aStartedRunIsInFlightUntilItEnds() {
        var update = SampleEvents.baseImageUpdated();
        ledger.apply(update);
        assertTrue(ledger.knows(update.runId()));
        assertEquals(update.runId(), ledger.inFlight(update.imageId()).orElseThrow().runId());

        ImagePublished published = SampleEvents.imagePublished();
        ledger.apply(new ImagePublished(update.runId(), update.imageId(), 1, Instant.now(), published.trigger(),
                published.baseImages(), published.image(), published.version(), published.tags(), published.timings()));
        assertTrue(ledger.inFlight(update.imageId()).isEmpty());
        RunLedger.Run run = ledger.lastEnded(update.imageId()).orElseThrow();
        assertEquals(RunLedger.State.PUBLISHED, run.state());
        assertEquals("10.0-1.0.0", run.detail());
        assertEquals(update.occurredAt(), run.startedAt());
    }

    @Test
    void terminalEventReadBeforeItsTriggerStillEndsTheRun() {
        var update = SampleEvents.baseImageUpdated();
        PipelineFailed sample = SampleEvents.pipelineFailed();
        ledger.apply(new PipelineFailed(update.runId(), update.imageId(), 1, Instant.now(), sample.stage(), sample.kind(),
                sample.reason(), null, null));
        ledger.apply(update);
        assertTrue(ledger.inFlight(update.imageId()).isEmpty());
        assertEquals(RunLedger.State.FAILED, ledger.run(update.runId()).orElseThrow().state());
        assertEquals(update.occurredAt(), ledger.run(update.runId()).orElseThrow().startedAt());
    }

    @Test
    void unknownRunsAreUnknownAndTheLedgerStartsIncomplete() {
        assertFalse(ledger.knows("b-nothing"));
        assertFalse(ledger.complete());
        ledger.markComplete();
        assertTrue(ledger.complete());
    }
}
