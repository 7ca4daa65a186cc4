package dev.freshen.docker;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineWatchTest {

    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final List<EngineWatch.Health> changes = new ArrayList<>();
    private final EngineWatch watch = new EngineWatch("tcp://127.0.0.1:2375", () -> {
        if (failure.get() != null) {
            throw failure.get();
        }
    }, Duration.ofSeconds(5), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), changes::add);

    @Test
    void tellsEachChangeOnceWithWhyInPlainWords() {
        assertTrue(watch.checkNow().up());
        assertEquals(List.of(), changes, "up from the start: no change");

        failure.set(new RuntimeException(new ConnectException("Connection refused")));
        watch.checkNow();
        watch.checkNow();
        assertEquals(1, changes.size(), "one change, however many checks fail");
        EngineWatch.Health down = changes.get(0);
        assertFalse(down.up());
        assertEquals("Docker engine at tcp://127.0.0.1:2375 not reachable: connection refused", down.describe());
        assertEquals(down, watch.health());

        failure.set(null);
        watch.checkNow();
        watch.checkNow();
        assertEquals(2, changes.size());
        assertEquals("Docker engine at tcp://127.0.0.1:2375 answers", changes.get(1).describe());
    }

    @Test
    void aNewReasonWhileAwayIsNoNewChange() {
        failure.set(new RuntimeException(new ConnectException("Connection refused")));
        watch.checkNow();
        failure.set(new IllegalStateException("read timed out"));
        watch.checkNow();
        assertEquals(1, changes.size());
        assertEquals("read timed out", watch.health().problem());
    }
}
