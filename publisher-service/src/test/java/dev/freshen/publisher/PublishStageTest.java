package dev.freshen.publisher;

import dev.freshen.events.FailureKind;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class PublishStageTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void skeletonEndsTheRunWithAnHonestFailure() {
        var event = SampleEvents.imageVerified();
        var outcome = new PublishStage(Clock.fixed(NOW, ZoneOffset.UTC)).publish(event);
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, outcome);
        assertEquals(event.runId(), failed.runId());
        assertEquals(Stage.PUBLISH, failed.stage());
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals(event.trigger(), failed.trigger());
        assertEquals(NOW, failed.occurredAt());
    }
}
