package dev.freshen.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectionsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void sinceTakesAnAgeOrATime() {
        assertEquals(Instant.parse("2026-11-27T11:30:00Z"), Selections.since("30m", NOW));
        assertEquals(Instant.parse("2026-11-27T10:00:00Z"), Selections.since("2h", NOW));
        assertEquals(Instant.parse("2026-11-20T12:00:00Z"), Selections.since("7d", NOW));
        assertEquals(Instant.parse("2026-11-27T11:59:15Z"), Selections.since("45s", NOW));
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), Selections.since("2026-11-01T00:00:00Z", NOW));
        var error = assertThrows(CliException.class, () -> Selections.since("yesterday", NOW));
        assertTrue(error.getMessage().contains("expected an age such as 30m, 2h or 7d"), error.getMessage());
    }

    @Test
    void durationsTakeANumberAndAUnit() {
        assertEquals(java.time.Duration.ofSeconds(90), Selections.duration("90s", "--timeout"));
        assertEquals(java.time.Duration.ofMinutes(30), Selections.duration("30m", "--timeout"));
        assertEquals(java.time.Duration.ofHours(2), Selections.duration(" 2h ", "--timeout"));
        assertEquals(java.time.Duration.ofDays(1), Selections.duration("1d", "--timeout"));
        for (String bad : new String[] {"0m", "soon", "30", "PT30M", "99999999999h"}) {
            var error = assertThrows(CliException.class, () -> Selections.duration(bad, "--timeout"));
            assertEquals("--timeout '" + bad + "': expected a duration such as 90s, 30m or 2h", error.getMessage());
        }
    }

    @Test
    void offsetRangesAreInclusive() {
        var range = Selections.offsetRange("10-20");
        assertTrue(range.contains(10) && range.contains(20));
        assertFalse(range.contains(9) || range.contains(21));
        assertTrue(Selections.offsetRange("7").contains(7));
        assertFalse(Selections.offsetRange("7").contains(8));
        assertThrows(CliException.class, () -> Selections.offsetRange("20-10"));
        assertThrows(CliException.class, () -> Selections.offsetRange("a-b"));
    }
}
