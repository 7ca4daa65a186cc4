package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.util.stream.Collectors;

/**
 * The JSON form of events, read as a tolerant reader (see {@code docs/events.md}): unknown fields of an event are
 * ignored, unknown fields of the nested values that stages copy into their own events are kept and written out
 * again, and values of the open sets {@link FailureKind}, {@link Stage} and {@link Trigger.Kind} this version does
 * not know are read as "other" with their id. Missing required fields and malformed values are rejected with an
 * {@link InvalidEventException} that names the field. Absent optional fields are not written ({@code NON_NULL}).
 *
 * <p>Numbers inside kept unknown fields are read as {@link java.math.BigDecimal} with their scale, so that a value a
 * newer writer sent (say {@code 2.50} or {@code 1e400}) is written out with the same value, not rounded to a double.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventJson() {
    }

    public static byte[] write(FreshenEvent event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event.type() + " " + event.runId(), e);
        }
    }

    public static String writeString(FreshenEvent event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event.type() + " " + event.runId(), e);
        }
    }

    /** Reads a payload of a known type. */
    public static <T extends FreshenEvent> T read(byte[] json, Class<T> type) {
        if (json == null || json.length == 0) {
            throw new InvalidEventException("empty " + type.getSimpleName() + " payload");
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonMappingException e) {
            throw new InvalidEventException("invalid " + type.getSimpleName() + " payload" + at(e) + ": " + rootMessage(e), e);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("invalid " + type.getSimpleName() + " payload: not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new InvalidEventException("unreadable " + type.getSimpleName() + " payload: " + e.getMessage(), e);
        }
    }

    public static FreshenEvent read(byte[] json, EventType type) {
        return read(json, type.recordType());
    }

    private static String at(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "" : " at '" + path.replace(".[", "[") + "'";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof JsonProcessingException jpe) {
            return jpe.getOriginalMessage();
        }
        return root.getMessage();
    }
}
