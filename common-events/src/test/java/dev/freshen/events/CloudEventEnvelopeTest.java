package dev.freshen.events;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CloudEventEnvelopeTest {

    @Test
    void headersRoundTrip() {
        FreshenEvent event = EventJsonTest.oneOfEach().get(2);
        CloudEventEnvelope envelope = CloudEventEnvelope.of(event, "/freshen/builder");
        Map<String, String> headers = envelope.toHeaders();
        assertEquals("dev.freshen.image-built.v1", headers.get("ce_type"));
        assertEquals("net10/runtime", headers.get("ce_subject"));
        assertEquals("1.0", headers.get("ce_specversion"));
        assertEquals("application/json", headers.get("content-type"));
        assertEquals(envelope, CloudEventEnvelope.fromHeaders(headers::get));
    }

    @Test
    void everyTypeHasItsTopicAndVersionedName() {
        for (EventType type : EventType.values()) {
            assertEquals(type, EventType.fromCloudEventType(type.cloudEventType()).orElseThrow());
            assertEquals(type, EventType.fromTopic(type.topic()).orElseThrow());
            assertEquals(true, type.topic().startsWith("freshen."));
            assertEquals(true, type.cloudEventType().matches("dev\\.freshen\\.[a-z-]+\\.v1"));
        }
    }

    @Test
    void unknownTypeIsRejected() {
        Map<String, String> headers = new HashMap<>(CloudEventEnvelope.of(EventJsonTest.oneOfEach().get(0), "/x").toHeaders());
        headers.put("ce_type", "dev.freshen.image-deleted.v1");
        var e = assertThrows(InvalidEventException.class, () -> CloudEventEnvelope.fromHeaders(headers::get));
        assertEquals("unknown CloudEvents type 'dev.freshen.image-deleted.v1'", e.getMessage());
    }

    @Test
    void extensionsOptionalAttributesAndContentTypeParametersDoNotReject() {
        CloudEventEnvelope envelope = CloudEventEnvelope.of(EventJsonTest.oneOfEach().get(2), "/freshen/builder");
        Map<String, String> headers = new HashMap<>(envelope.toHeaders());
        headers.put("ce_traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        headers.put("ce_runid", "run-1");
        headers.put("ce_dataschema", "https://freshen.dev/schemas/image-built/v1.json");
        headers.put("content-type", "application/json; charset=utf-8");
        assertEquals(envelope, CloudEventEnvelope.fromHeaders(headers::get));
    }

    @Test
    void aNewerVersionOfAKnownTypeIsRejected() {
        Map<String, String> headers = new HashMap<>(CloudEventEnvelope.of(EventJsonTest.oneOfEach().get(2), "/x").toHeaders());
        headers.put("ce_type", "dev.freshen.image-built.v2");
        var e = assertThrows(InvalidEventException.class, () -> CloudEventEnvelope.fromHeaders(headers::get));
        assertEquals("unknown CloudEvents type 'dev.freshen.image-built.v2'", e.getMessage());
    }

    @Test
    void missingSpecVersionOrIdIsRejected() {
        Map<String, String> headers = new HashMap<>(CloudEventEnvelope.of(EventJsonTest.oneOfEach().get(0), "/x").toHeaders());
        headers.remove("ce_id");
        var e = assertThrows(InvalidEventException.class, () -> CloudEventEnvelope.fromHeaders(headers::get));
        assertEquals("CloudEvent: field 'id' is required", e.getMessage());
        headers.remove("ce_specversion");
        e = assertThrows(InvalidEventException.class, () -> CloudEventEnvelope.fromHeaders(headers::get));
        assertEquals("not a CloudEvents 1.0 record: header ce_specversion is missing", e.getMessage());
    }
}
