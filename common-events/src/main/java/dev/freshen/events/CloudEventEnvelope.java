package dev.freshen.events;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The CloudEvents 1.0 attributes of an event, carried in binary mode as Kafka headers ({@code ce_id},
 * {@code ce_type}, ...; {@code content-type} for the JSON payload), per the CloudEvents Kafka protocol binding.
 */
public record CloudEventEnvelope(String id, String source, EventType type, String subject, Instant time) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public static final String HEADER_SPEC_VERSION = "ce_specversion";
    public static final String HEADER_ID = "ce_id";
    public static final String HEADER_SOURCE = "ce_source";
    public static final String HEADER_TYPE = "ce_type";
    public static final String HEADER_SUBJECT = "ce_subject";
    public static final String HEADER_TIME = "ce_time";
    public static final String HEADER_CONTENT_TYPE = "content-type";

    public CloudEventEnvelope {
        Require.present(id, "CloudEvent", "id");
        Require.present(source, "CloudEvent", "source");
        Require.present(type, "CloudEvent", "type");
        Require.present(subject, "CloudEvent", "subject");
        Require.present(time, "CloudEvent", "time");
    }

    /** A new envelope for {@code event}: fresh id, subject = image id, time = the event's time. */
    public static CloudEventEnvelope of(FreshenEvent event, String source) {
        return new CloudEventEnvelope(UUID.randomUUID().toString(), source, event.type(), event.imageId(), event.occurredAt());
    }

    /** The headers to put on the Kafka record, in a stable order. */
    public Map<String, String> toHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HEADER_SPEC_VERSION, SPEC_VERSION);
        headers.put(HEADER_ID, id);
        headers.put(HEADER_SOURCE, source);
        headers.put(HEADER_TYPE, type.cloudEventType());
        headers.put(HEADER_SUBJECT, subject);
        headers.put(HEADER_TIME, time.toString());
        headers.put(HEADER_CONTENT_TYPE, CONTENT_TYPE);
        return headers;
    }

    /**
     * Reads the envelope from record headers ({@code header} returns a header's last value as text, or null).
     * Only the attributes above are read: CloudEvents extension headers ({@code ce_traceparent}, {@code ce_runid},
     * ...), optional attributes such as {@code ce_dataschema}, and the {@code content-type} with or without parameters
     * ({@code application/json; charset=utf-8}) never reject a record. An unknown type does, also a newer version of a
     * known one ({@code dev.freshen.image-built.v2}): this reader cannot know what changed in it (see
     * {@link EventType}), so the record goes to the dead-letter topic, to be replayed once the reader understands it.
     *
     * @throws InvalidEventException when an attribute is missing, the spec version is not 1.0, or the type is unknown
     */
    public static CloudEventEnvelope fromHeaders(Function<String, String> header) {
        String specVersion = header.apply(HEADER_SPEC_VERSION);
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new InvalidEventException("not a CloudEvents 1.0 record: header " + HEADER_SPEC_VERSION + " is "
                    + (specVersion == null ? "missing" : "'" + specVersion + "'"));
        }
        String typeName = header.apply(HEADER_TYPE);
        EventType type = EventType.fromCloudEventType(typeName)
                .orElseThrow(() -> new InvalidEventException("unknown CloudEvents type '" + typeName + "'"));
        String time = header.apply(HEADER_TIME);
        try {
            return new CloudEventEnvelope(header.apply(HEADER_ID), header.apply(HEADER_SOURCE), type,
                    header.apply(HEADER_SUBJECT), time == null ? null : Instant.parse(time));
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("CloudEvent header " + HEADER_TIME + " is not an RFC 3339 time: '" + time + "'", e);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(e.getMessage(), e);
        }
    }
}
