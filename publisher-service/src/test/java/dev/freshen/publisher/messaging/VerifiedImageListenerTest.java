package dev.freshen.publisher.messaging;

import dev.freshen.events.EventJson;
import dev.freshen.events.FailureKind;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.RollbackRequested;
import dev.freshen.events.RunIds;
import dev.freshen.events.Stage;
import dev.freshen.events.Topics;
import dev.freshen.testing.InMemoryChannels;
import dev.freshen.testing.SampleEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The publisher's wiring (OCI target registry by default) with SmallRye's in-memory channels. */
@QuarkusTest
@WithTestResource(value = InMemoryChannels.class, initArgs = {
        @ResourceArg(name = "incoming", value = Topics.IMAGE_VERIFIED + "," + EndedRunListener.CHANNEL + ","
                + Topics.ROLLBACK_REQUESTED),
        @ResourceArg(name = "outgoing", value = Topics.IMAGE_PUBLISHED + "," + Topics.PIPELINE_FAILED + ","
                + Topics.IMAGE_ROLLED_BACK)})
class VerifiedImageListenerTest {

    @Inject
    @Any
    InMemoryConnector connector;

    private InMemorySink<byte[]> published;
    private InMemorySink<byte[]> failed;

    @BeforeEach
    void clearSinks() {
        published = connector.sink(Topics.IMAGE_PUBLISHED);
        failed = connector.sink(Topics.PIPELINE_FAILED);
        published.clear();
        failed.clear();
    }

    @Test
    void anUnknownImageEndsTheRunOnThePipelineFailedChannel() {
        var event = SampleEvents.imageVerified();
        connector.source(Topics.IMAGE_VERIFIED).send(EventJson.write(event));

        await().until(() -> failed.received().size() == 1);
        PipelineFailed outcome = EventJson.read(failed.received().get(0).getPayload(), PipelineFailed.class);
        assertEquals(event.runId(), outcome.runId());
        assertEquals(Stage.PUBLISH, outcome.stage());
        assertEquals(FailureKind.PERMANENT, outcome.kind());
        assertTrue(outcome.reason().startsWith("unknown platform image"), outcome.reason());
        assertTrue(published.received().isEmpty());
    }

    @Test
    void invalidInputIsNackedForTheDeadLetterTopic() {
        AtomicReference<Throwable> nacked = new AtomicReference<>();
        Message<byte[]> invalid = Message.of("{\"runId\":".getBytes(StandardCharsets.UTF_8))
                .withNack(e -> {
                    nacked.set(e);
                    return CompletableFuture.completedFuture(null);
                });
        connector.source(Topics.IMAGE_VERIFIED).send(invalid);
        await().until(() -> nacked.get() != null);
        assertTrue(nacked.get().getMessage().startsWith("invalid ImageVerified payload"), nacked.get().getMessage());
        assertTrue(published.received().isEmpty() && failed.received().isEmpty());
    }

    @Test
    void endedRunsAreAcknowledgedReadableOrNotAndNeverAnswered() {
        AtomicReference<Boolean> unreadableAcked = new AtomicReference<>(false);
        AtomicReference<Boolean> buildFailureAcked = new AtomicReference<>(false);
        connector.source(EndedRunListener.CHANNEL).send(Message.of("{\"runId\":".getBytes(StandardCharsets.UTF_8))
                .withAck(() -> {
                    unreadableAcked.set(true);
                    return CompletableFuture.completedFuture(null);
                }));
        PipelineFailed buildFailure = new PipelineFailed(SampleEvents.runId(), "fixture/app", 1, java.time.Instant.now(),
                Stage.BUILD, FailureKind.PERMANENT, "the RUN step failed", null, null);
        connector.source(EndedRunListener.CHANNEL).send(Message.of(EventJson.write(buildFailure)).withAck(() -> {
            buildFailureAcked.set(true);
            return CompletableFuture.completedFuture(null);
        }));
        await().until(() -> unreadableAcked.get() && buildFailureAcked.get());
        assertTrue(published.received().isEmpty() && failed.received().isEmpty());
    }

    @Test
    void aRollbackOfAnUnknownImageFailsOnThePipelineFailedChannelWithItsTrigger() {
        var request = new RollbackRequested(RunIds.rollback(), "net10/runtime", 1, java.time.Instant.now(),
                "10.0-1.1.0", "10.0-1.0.0", "1.1.0 breaks TLS", "api:ops");
        connector.source(Topics.ROLLBACK_REQUESTED).send(EventJson.write(request));

        await().until(() -> failed.received().size() == 1);
        PipelineFailed outcome = EventJson.read(failed.received().get(0).getPayload(), PipelineFailed.class);
        assertEquals(request.runId(), outcome.runId());
        assertEquals(Stage.PUBLISH, outcome.stage());
        assertEquals(request.trigger(), outcome.trigger());
        assertEquals("unknown-image", outcome.code());
        assertTrue(outcome.reason().startsWith("cannot roll back net10/runtime: unknown platform image"), outcome.reason());
        assertTrue(connector.sink(Topics.IMAGE_ROLLED_BACK).received().isEmpty());
    }
}
