package dev.freshen.events;

import com.fasterxml.jackson.databind.node.IntNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The open value sets ({@link FailureKind}, {@link Stage}, {@link Trigger.Kind}) and kept unknown fields. */
class OpenValuesTest {

    @Test
    void wellKnownIdsAreTheirConstantsWithTheWireIdsOfBefore() {
        assertEquals(List.of("permanent", "transient-exhausted", "internal", "timed-out"), FailureKind.knownValues().stream().map(FailureKind::id).toList());
        assertEquals(List.of("detect", "build", "test", "publish", "notify"), Stage.knownValues().stream().map(Stage::id).toList());
        assertEquals(List.of("base-image-updated", "forced", "rollback", "definition-changed", "parent-published"), Trigger.Kind.knownValues().stream().map(Trigger.Kind::id).toList());
        assertEquals(List.of("watched", "invalid"), WatchState.knownValues().stream().map(WatchState::id).toList());
        WatchState.knownValues().forEach(s -> assertSame(s, WatchState.of(s.id())));
        assertTrue(WatchState.of("checks-failing").isOther());
        FailureKind.knownValues().forEach(k -> assertSame(k, FailureKind.of(k.id())));
        Stage.knownValues().forEach(s -> assertSame(s, Stage.of(s.id())));
        Trigger.Kind.knownValues().forEach(k -> assertSame(k, Trigger.Kind.of(k.id())));
        assertFalse(FailureKind.PERMANENT.isOther() || Stage.TEST.isOther() || Trigger.Kind.FORCED.isOther());
    }

    @Test
    void anUnknownIdIsAnOtherValueEqualByItsId() {
        FailureKind quotaExceeded = FailureKind.of("quota-exceeded");
        assertTrue(quotaExceeded.isOther());
        assertEquals("quota-exceeded", quotaExceeded.id());
        assertEquals("quota-exceeded", quotaExceeded.toString());
        assertEquals(FailureKind.of("quota-exceeded"), quotaExceeded);
        assertEquals(FailureKind.of("quota-exceeded").hashCode(), quotaExceeded.hashCode());
        assertNotEquals(FailureKind.PERMANENT, quotaExceeded);
        assertNotEquals(FailureKind.of("scan-failed"), quotaExceeded);
        assertTrue(Stage.of("scan").isOther());
        assertTrue(Trigger.Kind.of("security-advisory").isOther());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "Timed Out", "timed_out", "-timed", "timed-", "timed--out", "2fa", "t\u00e9l\u00e9"})
    void textThatIsNoIdIsRejected(String id) {
        assertThrows(IllegalArgumentException.class, () -> FailureKind.of(id));
        assertThrows(IllegalArgumentException.class, () -> Stage.of(id));
        assertThrows(IllegalArgumentException.class, () -> Trigger.Kind.of(id));
        assertThrows(IllegalArgumentException.class, () -> WatchState.of(id));
    }

    @Test
    void anIdHasAtMost64Characters() {
        assertEquals(64, Stage.of("s".repeat(64)).id().length());
        var e = assertThrows(IllegalArgumentException.class, () -> Stage.of("s".repeat(65)));
        assertTrue(e.getMessage().startsWith("stage '" + "s".repeat(64) + "…' is not an id"), e.getMessage());
    }

    @Test
    void anOtherFailureKindRoundTrips() {
        PipelineFailed failed = new PipelineFailed("run-1", "net10/runtime", 1, Instant.parse("2026-12-01T09:00:00Z"),
                Stage.of("scan"), FailureKind.of("scan-failed"), "scanner crashed", null, Trigger.baseImageUpdated());
        String json = EventJson.writeString(failed);
        assertTrue(json.contains("\"stage\":\"scan\",\"kind\":\"scan-failed\""), json);
        assertEquals(failed, EventJson.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), PipelineFailed.class));
    }

    @Test
    void unknownFieldsTakePartInEquality() {
        Trigger plain = Trigger.forced("why", "alice");
        Trigger more = new Trigger(Trigger.Kind.FORCED, "why", "alice", Map.of("ticket", IntNode.valueOf(42)));
        assertEquals(plain, new Trigger(Trigger.Kind.FORCED, "why", "alice", null));
        assertNotEquals(plain, more);
        assertEquals(more, new Trigger(Trigger.Kind.FORCED, "why", "alice", Map.of("ticket", IntNode.valueOf(42))));
        assertEquals(Map.of(), plain.unknownFields());
        assertThrows(UnsupportedOperationException.class, () -> more.unknownFields().put("x", IntNode.valueOf(1)));
    }
}
