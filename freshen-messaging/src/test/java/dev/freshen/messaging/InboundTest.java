package dev.freshen.messaging;

import dev.freshen.events.EventJson;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.InvalidEventException;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.RunIds;
import dev.freshen.events.Stage;
import dev.freshen.retry.StopRequested;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InboundTest {

    @Test
    void aHandlerStoppedByShutdownNeitherAcknowledgesNorDeadLettersItsRecord() {
        var event = new ForceUpdateRequested(RunIds.forced(), "net10/runtime", 1, Instant.now(), "test", "test");
        AtomicInteger acks = new AtomicInteger();
        AtomicInteger nacks = new AtomicInteger();
        Message<byte[]> message = Message.of(EventJson.write(event), () -> {
            acks.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            nacks.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        var outcome = Inbound.dispatch(message, ForceUpdateRequested.class, (e, m) -> {
            throw new StopRequested("interrupted while waiting to retry");
        });
        assertFalse(outcome.toCompletableFuture().isDone(), "left for redelivery");
        assertEquals(0, acks.get());
        assertEquals(0, nacks.get());
    }

    @Test
    void aHandlerThatFailsDeadLettersItsRecord() {
        var event = new ForceUpdateRequested(RunIds.forced(), "net10/runtime", 1, Instant.now(), "test", "test");
        AtomicInteger nacks = new AtomicInteger();
        Message<byte[]> message = Message.of(EventJson.write(event), () -> CompletableFuture.completedFuture(null),
                failure -> {
                    nacks.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                });
        Inbound.dispatch(message, ForceUpdateRequested.class, (e, m) -> {
            throw new IllegalStateException("bug");
        });
        assertEquals(1, nacks.get());
    }

    @Test
    void aStageHandlerThatFailsEndsTheRunAsInternalFirstThenDeadLettersTheRecord() {
        var event = new ForceUpdateRequested(RunIds.forced(), "net10/runtime", 1, Instant.now(), "typo fix", "cli:ana");
        List<String> order = new ArrayList<>();
        Message<byte[]> message = Message.of(EventJson.write(event), () -> CompletableFuture.completedFuture(null),
                failure -> {
                    order.add("dead-lettered: " + failure.getMessage());
                    return CompletableFuture.completedFuture(null);
                });
        List<Message<? extends byte[]>> sent = new ArrayList<>();
        var failures = new InternalFailures(Stage.BUILD, emitter(sent, order), "/freshen/builder");

        Inbound.dispatch(message, ForceUpdateRequested.class, failures, (e, m) -> {
            throw new IllegalStateException("BaseImage: field 'reference' is pinned");
        }).toCompletableFuture().join();

        assertEquals(List.of("pipeline-failed sent", "dead-lettered: BaseImage: field 'reference' is pinned"), order);
        PipelineFailed failed = EventJson.read(sent.get(0).getPayload(), PipelineFailed.class);
        assertEquals(event.runId(), failed.runId());
        assertEquals(Stage.BUILD, failed.stage());
        assertEquals(FailureKind.INTERNAL, failed.kind());
        assertEquals("internal error in the build stage; the logs of run " + event.runId() + " say more", failed.reason());
        assertEquals(InternalFailures.INTERNAL_ERROR, failed.code());
        assertTrue(failed.hint().contains("'freshen dlq replay --run-id " + event.runId() + "'"), failed.hint());
        assertEquals(event.trigger(), failed.trigger());
        assertFalse(failed.reason().contains("IllegalStateException"), "no class names in user text");
    }

    @Test
    void deadLettersAreCountedByReasonAndARunEndedByADefectAsFailed() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        try {
            DeadLetterMetrics.global().registerKnown();
            assertEquals(0.0, registry.get("freshen.dead.letters").tag("reason", "invalid-event").counter().count());
            Message<byte[]> garbage = Message.of("{not json".getBytes(StandardCharsets.UTF_8),
                    () -> CompletableFuture.completedFuture(null), failure -> CompletableFuture.completedFuture(null));
            Inbound.dispatch(garbage, ForceUpdateRequested.class, (e, m) -> Inbound.done()).toCompletableFuture().join();

            var event = new ForceUpdateRequested(RunIds.forced(), "net10/runtime", 1, Instant.now(), "test", "test");
            Message<byte[]> message = Message.of(EventJson.write(event), () -> CompletableFuture.completedFuture(null),
                    failure -> CompletableFuture.completedFuture(null));
            var failures = new InternalFailures(Stage.BUILD, emitter(new ArrayList<>(), new ArrayList<>()), "/freshen/builder");
            Inbound.dispatch(message, ForceUpdateRequested.class, failures, (e, m) -> {
                throw new IllegalStateException("bug");
            }).toCompletableFuture().join();

            assertEquals(1.0, registry.get("freshen.dead.letters").tag("reason", "invalid-event").counter().count());
            assertEquals(1.0, registry.get("freshen.dead.letters").tag("reason", "handler-failed").counter().count());
            assertEquals(1.0, registry.get("freshen.runs").tags("image", "net10/runtime", "trigger", "forced",
                    "outcome", "failed", "stage", "build").counter().count());
        } finally {
            Metrics.removeRegistry(registry);
        }
    }

    @Test
    void theFaultHookFailsOnlyTheImagesItsFileNamesWhileTheFileExists(@TempDir Path dir) throws Exception {
        var event = new ForceUpdateRequested(RunIds.forced(), "net10/runtime", 1, Instant.now(), "test", "test");
        FaultInjection.beforeHandling(event);
        Path file = dir.resolve("failing-images");
        System.setProperty(FaultInjection.HANDLER_EXCEPTION, file.toString());
        try {
            FaultInjection.beforeHandling(event);
            Files.writeString(file, "net10/aspnet\nnet10/runtime\n");
            assertThrows(IllegalStateException.class, () -> FaultInjection.beforeHandling(event));
            Files.writeString(file, "net10/aspnet\n");
            FaultInjection.beforeHandling(event);
        } finally {
            System.clearProperty(FaultInjection.HANDLER_EXCEPTION);
        }
    }

    /** An emitter that keeps what it is given and acknowledges it at once, like a broker that took it. */
    private static Emitter<byte[]> emitter(List<Message<? extends byte[]>> sent, List<String> order) {
        return new Emitter<>() {
            @Override
            public CompletionStage<Void> send(byte[] payload) {
                throw new UnsupportedOperationException();
            }

            @Override
            public <M extends Message<? extends byte[]>> void send(M message) {
                sent.add(message);
                order.add("pipeline-failed sent");
                message.ack();
            }

            @Override
            public void complete() {
            }

            @Override
            public void error(Exception e) {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public boolean hasRequests() {
                return true;
            }
        };
    }

    @Test
    void theStackSummaryNamesEveryCauseWithItsFirstFrames() {
        var failure = new InvalidEventException("missing field runId", new IllegalStateException("root cause"));
        String summary = Inbound.stackSummary(failure);
        assertTrue(summary.startsWith(InvalidEventException.class.getName() + ": missing field runId\n  at "), summary);
        assertTrue(summary.contains("caused by java.lang.IllegalStateException: root cause\n"), summary);
        assertTrue(summary.contains(InboundTest.class.getName()), summary);
    }

    @Test
    void theStackSummaryIsBounded() {
        RuntimeException deep = new RuntimeException("x".repeat(5000));
        for (int i = 0; i < 50; i++) {
            deep = new RuntimeException("level " + i, deep);
        }
        assertTrue(Inbound.stackSummary(deep).length() <= 2048);
    }

    @Test
    void theDeadLetterRecordCarriesTheStackSummaryHeader() {
        var metadata = Inbound.deadLetterMetadata(new InvalidEventException("not JSON"));
        @SuppressWarnings("unchecked")
        var kafka = (OutgoingKafkaRecordMetadata<Object>) metadata.get(OutgoingKafkaRecordMetadata.class).orElseThrow();
        String stack = new String(kafka.getHeaders().lastHeader(Inbound.STACK_HEADER).value(), StandardCharsets.UTF_8);
        assertTrue(stack.contains("not JSON"), stack);
    }
}
