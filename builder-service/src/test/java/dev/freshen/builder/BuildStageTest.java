package dev.freshen.builder;

import dev.freshen.events.FailureKind;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class BuildStageTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private final BuildStage stage = new BuildStage(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void requestsCarryTheirTrigger() {
        var update = SampleEvents.baseImageUpdated();
        assertEquals(Trigger.baseImageUpdated(), BuildRequest.of(update).trigger());
        assertEquals(update.baseImages(), BuildRequest.of(update).baseImages());
        var forced = SampleEvents.forceUpdateRequested();
        assertEquals(Trigger.forced("Dockerfile changed", "test"), BuildRequest.of(forced).trigger());
        assertEquals(0, BuildRequest.of(forced).baseImages().size());
    }

    @Test
    void skeletonEndsTheRunWithAnHonestFailure() {
        var request = SampleEvents.baseImageUpdated();
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.build(BuildRequest.of(request)));
        assertEquals(request.runId(), failed.runId());
        assertEquals(Stage.BUILD, failed.stage());
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals(NOW, failed.occurredAt());
    }
}
