package dev.freshen.notifier;

import dev.freshen.events.FailureKind;
import dev.freshen.events.Trigger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class OutcomeTextTest {

    @Test
    void durationsReadLikeAPersonWouldSayThem() {
        assertEquals("850ms", OutcomeText.duration(Duration.ofMillis(850)));
        assertEquals("45s", OutcomeText.duration(Duration.ofSeconds(45)));
        assertEquals("2m 05s", OutcomeText.duration(Duration.ofSeconds(125)));
        assertEquals("1h 02m", OutcomeText.duration(Duration.ofMinutes(62)));
    }

    @Test
    void triggersSayWhatStartedTheRun() {
        assertEquals("base image update", OutcomeText.trigger(Trigger.baseImageUpdated()));
        assertEquals("forced by alice", OutcomeText.trigger(Trigger.forced("why", "alice")));
        assertEquals("forced", OutcomeText.trigger(Trigger.forced("why", null)));
        assertEquals("why", OutcomeText.forcedReason(Trigger.forced("why", null)));
        assertNull(OutcomeText.forcedReason(Trigger.baseImageUpdated()));
    }

    @Test
    void valuesANewerVersionAddedAreShownByTheirIds() {
        Trigger parent = new Trigger(Trigger.Kind.of("parent-published"), "parent 1.4.0", "bob");
        assertEquals("parent published", OutcomeText.trigger(parent));
        assertNull(OutcomeText.forcedReason(parent));
        assertEquals("permanent: fix the cause, then retry", OutcomeText.failureKind(FailureKind.of("permanent")));
        assertEquals("failed (quota-exceeded)", OutcomeText.failureKind(FailureKind.of("quota-exceeded")));
    }

    @Test
    void theLogTailKeepsTheLastLinesAndSaysHowManyWereDropped() {
        assertEquals(List.of("a", "b"), OutcomeText.logTail("a\nb\n", 10, 100, 100));
        assertEquals(List.of("… 2 earlier lines trimmed", "c", "d"), OutcomeText.logTail("a\nb\nc\nd", 2, 100, 100));
        assertEquals(List.of("… 1 earlier line trimmed", "bbbb"), OutcomeText.logTail("aaaa\nbbbb", 10, 6, 100));
        assertEquals(List.of("abc…"), OutcomeText.logTail("abcdefgh", 10, 100, 4));
    }
}
