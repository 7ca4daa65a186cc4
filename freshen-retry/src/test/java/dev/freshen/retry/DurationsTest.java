package dev.freshen.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationsTest {

    @Test
    void humanUnitsNeverIso8601() {
        assertEquals("0 ms", Durations.human(Duration.ZERO));
        assertEquals("250 ms", Durations.human(Duration.ofMillis(250)));
        assertEquals("1.0 s", Durations.human(Duration.ofSeconds(1)));
        assertEquals("2.5 s", Durations.human(Duration.ofMillis(2500)));
        assertEquals("4.1 s", Durations.human(Duration.ofMillis(4149)));
        assertEquals("10 s", Durations.human(Duration.ofMillis(9960)));
        assertEquals("45 s", Durations.human(Duration.ofSeconds(45)));
        assertEquals("2 min", Durations.human(Duration.ofMinutes(2)));
        assertEquals("2 min 5 s", Durations.human(Duration.ofSeconds(125)));
        assertEquals("1 h", Durations.human(Duration.ofHours(1)));
        assertEquals("1 h 30 min", Durations.human(Duration.ofMinutes(90)));
        assertEquals("-2.5 s", Durations.human(Duration.ofMillis(-2500)));
    }
}
