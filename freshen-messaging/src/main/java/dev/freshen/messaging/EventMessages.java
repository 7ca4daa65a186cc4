package dev.freshen.messaging;

import dev.freshen.events.CloudEventEnvelope;
import dev.freshen.events.EventJson;
import dev.freshen.events.EventType;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.InvalidEventException;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns event records into Kafka messages and back, the same way in every service: record key = image id,
 * CloudEvents attributes in binary mode as headers, JSON payload.
 */
public final class EventMessages {

    private EventMessages() {
    }

    /**
     * A message for {@code event}; {@code source} is the CloudEvents source, e.g. {@code /freshen/builder}. The
     * message continues the trace that is current on this thread (the run's, inside {@link Inbound#dispatch}; an API
     * request's in the watcher); without one, the Kafka producer span it gets starts a new trace.
     */
    public static Message<byte[]> create(FreshenEvent event, String source) {
        return create(event, source, Context.current());
    }

    /**
     * A message for {@code event} that acknowledges {@code cause} once Kafka has acknowledged the new message
     * (and nacks it if sending fails), so the input offset is committed only after the output is durable. It
     * continues {@code cause}'s trace (the Kafka connector puts {@code traceparent} in the record's headers), whatever
     * thread sends it.
     */
    public static Message<byte[]> createFrom(Message<?> cause, FreshenEvent event, String source) {
        Context trace = TracingMetadata.fromMessage(cause).map(TracingMetadata::getCurrentContext).orElseGet(Context::current);
        return create(event, source, trace).withAck(cause::ack).withNack(cause::nack);
    }

    private static Message<byte[]> create(FreshenEvent event, String source, Context trace) {
        return Message.of(EventJson.write(event)).addMetadata(kafkaMetadata(event, source))
                .addMetadata(TracingMetadata.withCurrent(trace));
    }

    /** Kafka headers for {@code event}: the CloudEvents attributes as UTF-8 text. */
    public static Headers headers(FreshenEvent event, String source) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventEnvelope.of(event, source).toHeaders()
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    /**
     * Reads {@code message} as an event of {@code type}. A message that came from Kafka must carry a CloudEvents
     * envelope of that type; one without Kafka metadata (in-memory channels in tests) is read by payload alone.
     *
     * @throws InvalidEventException when the record cannot be processed at all (it belongs in the dead-letter topic)
     */
    public static <T extends FreshenEvent> T decode(Message<byte[]> message, Class<T> type) {
        EventType expected = EventType.of(type);
        Optional<CloudEventEnvelope> envelope = envelope(message);
        if (envelope.isPresent() && envelope.get().type() != expected) {
            throw new InvalidEventException("expected CloudEvents type " + expected.cloudEventType() + " but the record says "
                    + envelope.get().type().cloudEventType());
        }
        T event = EventJson.read(message.getPayload(), type);
        if (envelope.isPresent() && !envelope.get().subject().equals(event.imageId())) {
            throw new InvalidEventException("CloudEvents subject '" + envelope.get().subject()
                    + "' does not match the payload's imageId '" + event.imageId() + "'");
        }
        return event;
    }

    /** The CloudEvents envelope of a message read from Kafka; empty for messages that did not come from Kafka. */
    public static Optional<CloudEventEnvelope> envelope(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(kafka -> CloudEventEnvelope.fromHeaders(name -> lastHeader(kafka.getHeaders(), name)));
    }

    private static OutgoingKafkaRecordMetadata<String> kafkaMetadata(FreshenEvent event, String source) {
        return OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.imageId())
                .withHeaders(headers(event, source))
                .build();
    }

    private static String lastHeader(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
