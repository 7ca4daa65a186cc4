package dev.freshen.builder.messaging;

import dev.freshen.events.EventJson;
import dev.freshen.events.FailureKind;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Topics;
import dev.freshen.messaging.PausableInputs;
import dev.freshen.testing.InMemoryChannels;
import dev.freshen.testing.KafkaResource;
import dev.freshen.testing.SampleEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(KafkaResource.class) // the build outcomes are read from the real broker
@WithTestResource(value = InMemoryChannels.class, initArgs = {
        @ResourceArg(name = "incoming", value = Topics.BASE_IMAGE_UPDATED + "," + Topics.FORCE_UPDATE),
        @ResourceArg(name = "outgoing", value = Topics.IMAGE_BUILT + "," + Topics.PIPELINE_FAILED)})
class BuildRequestListenerTest {

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    ChannelRegistry channels;

    private InMemorySink<byte[]> built;
    private InMemorySink<byte[]> failed;

    @BeforeEach
    void clearSinks() {
        built = connector.sink(Topics.IMAGE_BUILT);
        failed = connector.sink(Topics.PIPELINE_FAILED);
        built.clear();
        failed.clear();
    }

    @Test
    void anUnknownImageEndsTheRunOnThePipelineFailedChannel() {
        var request = SampleEvents.baseImageUpdated();
        connector.source(Topics.BASE_IMAGE_UPDATED).send(EventJson.write(request));

        await().until(() -> failed.received().size() == 1);
        PipelineFailed event = EventJson.read(failed.received().get(0).getPayload(), PipelineFailed.class);
        assertEquals(request.runId(), event.runId());
        assertEquals(Stage.BUILD, event.stage());
        assertEquals(FailureKind.PERMANENT, event.kind());
        assertTrue(event.reason().startsWith("unknown platform image"), event.reason());
        assertTrue(built.received().isEmpty());
    }

    @Test
    void forceUpdateIsAnsweredOnThePipelineFailedChannel() {
        var request = SampleEvents.forceUpdateRequested();
        connector.source(Topics.FORCE_UPDATE).send(EventJson.write(request));

        await().until(() -> failed.received().size() == 1);
        assertEquals(request.runId(), EventJson.read(failed.received().get(0).getPayload(), PipelineFailed.class).runId());
    }

    @Test
    void invalidInputIsNackedForTheDeadLetterTopic() {
        AtomicReference<Throwable> nacked = new AtomicReference<>();
        Message<byte[]> invalid = Message.of("{\"runId\":".getBytes(StandardCharsets.UTF_8))
                .withNack(e -> {
                    nacked.set(e);
                    return CompletableFuture.completedFuture(null);
                });
        connector.source(Topics.BASE_IMAGE_UPDATED).send(invalid);
        await().until(() -> nacked.get() != null);
        assertTrue(nacked.get().getMessage().startsWith("invalid BaseImageUpdated payload"), nacked.get().getMessage());
        assertTrue(built.received().isEmpty() && failed.received().isEmpty());
    }

    @Test
    void pausedInputsTakeNoRequestUntilResumed() {
        PausableInputs inputs = new PausableInputs(channels, List.of(Topics.BASE_IMAGE_UPDATED, Topics.FORCE_UPDATE));
        inputs.pause();
        try {
            assertTrue(inputs.paused());
            connector.source(Topics.FORCE_UPDATE).send(EventJson.write(SampleEvents.forceUpdateRequested()));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> failed.received().isEmpty());
        } finally {
            inputs.resume();
        }
        await().until(() -> failed.received().size() == 1);
    }
}
