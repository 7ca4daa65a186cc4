package dev.freshen.messaging;

import dev.freshen.events.EventJson;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.InvalidEventException;
import dev.freshen.events.RunIds;
import dev.freshen.retry.StopRequested;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
