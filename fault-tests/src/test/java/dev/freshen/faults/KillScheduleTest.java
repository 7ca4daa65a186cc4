package dev.freshen.faults;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chaos kill schedule: replayable from its seed, drawn fairly, within its bounds. */
class KillScheduleTest {

    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(6);

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnotherOne() {
        KillSchedule schedule = KillSchedule.draw(42, 6, MIN, MAX);
        assertEquals(schedule, KillSchedule.draw(42, 6, MIN, MAX));
        assertEquals(schedule.describe(), KillSchedule.draw(42, 6, MIN, MAX).describe());
        assertNotEquals(schedule.kills(), KillSchedule.draw(43, 6, MIN, MAX).kills());
        assertEquals(6, schedule.kills().size());
    }

    @Test
    void aScheduleIsFixedByItsSeedAloneAcrossJvms() {
        // java.util.Random's algorithm is part of its specification: this schedule must never change, or printed
        // seeds of old failures would replay something else
        assertEquals("builder after 6.0s, watcher after 4.9s, watcher after 1.6s",
                KillSchedule.draw(7, 3, MIN, MAX).describe());
    }

    @Test
    void everyServiceIsDrawnAboutEquallyOftenAndEveryPauseIsWithinItsBounds() {
        Map<String, Integer> drawn = new HashMap<>();
        LongStream.range(0, 500).forEach(seed -> KillSchedule.draw(seed, 6, MIN, MAX).kills().forEach(kill -> {
            drawn.merge(kill.service(), 1, Integer::sum);
            assertTrue(kill.pause().compareTo(MIN) >= 0 && kill.pause().compareTo(MAX) <= 0, kill.toString());
        }));
        assertEquals(KillSchedule.SERVICES.size(), drawn.size(), drawn.toString());
        // 3000 draws, 600 expected per service: 500..700 is more than 4 standard deviations either side
        drawn.forEach((service, count) -> assertTrue(count > 500 && count < 700, service + " drawn " + count + " times"));
    }

    @Test
    void theSeedComesFromThePropertyOrIsFreshWhenItIsNotSet() {
        assertEquals(-12, KillSchedule.seed(" -12 ", () -> 99));
        assertEquals(99, KillSchedule.seed(null, () -> 99));
        assertEquals(99, KillSchedule.seed("", () -> 99));
        var wrong = assertThrows(IllegalArgumentException.class, () -> KillSchedule.seed("0x1f", () -> 99));
        assertTrue(wrong.getMessage().contains("-Dfreshen.chaos.seed must be a whole number"), wrong.getMessage());
    }

    @Test
    void pausesInTheWrongOrderAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> KillSchedule.draw(1, 1, MAX, MIN));
        assertThrows(IllegalArgumentException.class, () -> KillSchedule.draw(1, -1, MIN, MAX));
    }
}
