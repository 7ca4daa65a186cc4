package dev.freshen.messaging;

import dev.freshen.events.BaseImage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.EventJson;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.InvalidEventException;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventMessagesTest {

    private static final BaseImageUpdated EVENT = new BaseImageUpdated("b-0123456789", "net10/runtime", 1,
            Instant.parse("2026-11-27T10:00:00Z"),
            List.of(new BaseImage(ImageReference.parse("mcr.microsoft.com/dotnet/runtime:10.0"),
                    Digest.parse("sha256:" + "a".repeat(64)), null)), "h");

    @Test
    void messageIsKeyedByImageIdWithCloudEventsHeaders() {
        Message<byte[]> message = EventMessages.create(EVENT, "/freshen/watcher");
        @SuppressWarnings("unchecked")
        OutgoingKafkaRecordMetadata<String> kafka = message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertEquals("net10/runtime", kafka.getKey());
        assertEquals("dev.freshen.base-image-updated.v1",
                new String(kafka.getHeaders().lastHeader("ce_type").value(), StandardCharsets.UTF_8));
        assertEquals(EVENT, EventJson.read(message.getPayload(), BaseImageUpdated.class));
    }

    @Test
    void derivedMessageAcksAndNacksItsCause() {
        AtomicInteger acks = new AtomicInteger();
        AtomicReference<Throwable> nack = new AtomicReference<>();
        Message<byte[]> cause = Message.of(new byte[0]).withAck(() -> {
            acks.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }).withNack(e -> {
            nack.set(e);
            return CompletableFuture.completedFuture(null);
        });
        Message<byte[]> derived = EventMessages.createFrom(cause, EVENT, "/freshen/builder");
        assertEquals(0, acks.get(), "creating the output does not acknowledge the input");
        derived.ack().toCompletableFuture().join();
        assertEquals(1, acks.get());
        derived.nack(new IllegalStateException("broker down")).toCompletableFuture().join();
        assertEquals("broker down", nack.get().getMessage());
    }

    @Test
    void decodeWithoutKafkaMetadataReadsThePayload() {
        assertEquals(EVENT, EventMessages.decode(Message.of(EventJson.write(EVENT)), BaseImageUpdated.class));
    }

    @Test
    void decodeFromKafkaChecksTheCloudEventsTypeAndSubject() {
        assertEquals(EVENT, EventMessages.decode(fromKafka(EventMessages.headers(EVENT, "/t")), BaseImageUpdated.class));

        var e = assertThrows(InvalidEventException.class,
                () -> EventMessages.decode(fromKafka(EventMessages.headers(EVENT, "/t")), ForceUpdateRequested.class));
        assertEquals("expected CloudEvents type dev.freshen.force-update-requested.v1 but the record says "
                + "dev.freshen.base-image-updated.v1", e.getMessage());

        var headers = EventMessages.headers(EVENT, "/t");
        headers.remove("ce_subject");
        headers.add("ce_subject", "net11/runtime".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(InvalidEventException.class, () -> EventMessages.decode(fromKafka(headers), BaseImageUpdated.class));
        assertEquals("CloudEvents subject 'net11/runtime' does not match the payload's imageId 'net10/runtime'", e.getMessage());

        e = assertThrows(InvalidEventException.class,
                () -> EventMessages.decode(fromKafka(new RecordHeaders()), BaseImageUpdated.class));
        assertEquals("not a CloudEvents 1.0 record: header ce_specversion is missing", e.getMessage());
    }

    @Test
    void extensionHeadersAndContentTypeParametersAreAcceptedButAnotherTypeVersionIsDeadLettered() {
        Headers newer = EventMessages.headers(EVENT, "/freshen/watcher");
        newer.add("ce_traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
        newer.add("ce_runid", EVENT.runId().getBytes(StandardCharsets.UTF_8));
        newer.remove("content-type");
        newer.add("content-type", "application/json; charset=utf-8".getBytes(StandardCharsets.UTF_8));
        AtomicReference<BaseImageUpdated> handled = new AtomicReference<>();
        AtomicReference<Throwable> nack = new AtomicReference<>();
        Inbound.dispatch(withNack(fromKafka(newer), nack), BaseImageUpdated.class, (event, message) -> {
            handled.set(event);
            return Inbound.done();
        });
        assertEquals(EVENT, handled.get());
        assertEquals(null, nack.get());

        handled.set(null);
        Headers v2 = EventMessages.headers(EVENT, "/freshen/watcher");
        v2.remove("ce_type");
        v2.add("ce_type", "dev.freshen.base-image-updated.v2".getBytes(StandardCharsets.UTF_8));
        Inbound.dispatch(withNack(fromKafka(v2), nack), BaseImageUpdated.class, (event, message) -> {
            handled.set(event);
            return Inbound.done();
        });
        assertEquals(null, handled.get(), "a type this reader does not know is not handled");
        assertEquals("unknown CloudEvents type 'dev.freshen.base-image-updated.v2'", nack.get().getMessage());
    }

    private static Message<byte[]> withNack(Message<byte[]> message, AtomicReference<Throwable> nack) {
        return message.withNack(e -> {
            nack.set(e);
            return CompletableFuture.completedFuture(null);
        });
    }

    private static Message<byte[]> fromKafka(Headers headers) {
        var record = new ConsumerRecord<>("freshen.base-image-updated", 0, 42L, ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE, 0, 0, "net10/runtime", EventJson.write(EVENT), headers, Optional.empty());
        return Message.of(record.value()).addMetadata(new IncomingKafkaRecordMetadata<>(record, "freshen.base-image-updated"));
    }
}
