package dev.freshen.events.image;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionTagTest {

    @Test
    void firstVersionIsOneZeroZero() {
        assertEquals("10.0-noble-1.0.0", VersionTag.next("10.0-noble", List.of("latest", "10.0")).tag());
    }

    @Test
    void bumpsTheMinorOfTheHighestNumerically() {
        var tags = List.of("10.0-noble-1.3.0", "10.0-noble-1.10.0", "10.0-noble-1.9.4", "latest");
        VersionTag next = VersionTag.next("10.0-noble", tags);
        assertEquals("10.0-noble-1.11.0", next.tag());
        assertEquals("1.11.0", next.version());
    }

    @Test
    void majorWinsOverMinor() {
        assertEquals("p-2.1.0", VersionTag.next("p", List.of("p-1.99.0", "p-2.0.7")).tag());
    }

    @Test
    void ignoresTagsThatOnlyContainThePrefix() {
        var tags = List.of("10.0-noble-chiseled-1.2.0", "x10.0-noble-5.0.0", "10.0-noble-1.0.0-rc1", "10.0-noble-01.0.0");
        assertEquals(Optional.empty(), VersionTag.highest("10.0-noble", tags));
        assertEquals(Optional.empty(), VersionTag.parse("10.0-noble", "10.0-noble-chiseled-1.2.0"));
        assertEquals("10.0-noble-chiseled-1.3.0", VersionTag.next("10.0-noble-chiseled", tags).tag());
    }

    @Test
    void ordersAndParses() {
        VersionTag a = VersionTag.parse("p", "p-1.2.3").orElseThrow();
        assertEquals(new VersionTag("p", 1, 2, 3), a);
        assertTrue(a.compareTo(new VersionTag("p", 1, 10, 0)) < 0);
    }

    @Test
    void rejectsBadPrefixes() {
        assertThrows(IllegalArgumentException.class, () -> VersionTag.initial("-bad"));
        assertThrows(IllegalArgumentException.class, () -> VersionTag.initial("has space"));
        assertThrows(IllegalArgumentException.class, () -> VersionTag.initial("x".repeat(125)));
    }
}
