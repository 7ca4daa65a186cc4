package dev.freshen.faults;

import dev.freshen.faults.RunOutcomes.Terminal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outcome accounting of the chaos scenario, on records written by hand: each way of not ending once fails. */
class RunOutcomesTest {

    private static final List<String> RUNS = List.of("run-1", "run-2", "run-3");

    @Test
    void oneOutcomePerRunPassesAndRepeatedRecordsOfTheSameOutcomeAreCountedNotFailed() {
        RunOutcomes outcomes = RunOutcomes.of(RUNS, List.of(
                new Terminal("run-1", "published 1.0.0"),
                new Terminal("run-2", "failed at build (permanent)"),
                new Terminal("run-3", "published 1.1.0"),
                new Terminal("run-3", "published 1.1.0"), // the publisher announced it again after a kill
                new Terminal("other-run", "published 9.0.0")));
        outcomes.assertExactlyOne();
        assertTrue(outcomes.allEnded());
        assertEquals("runs=3 published=2 failed=1 repeated-terminal-records=1", outcomes.counts());
    }

    @Test
    void aRunWithoutATerminalOutcomeFails() {
        RunOutcomes outcomes = RunOutcomes.of(RUNS, List.of(new Terminal("run-1", "published 1.0.0"),
                new Terminal("run-3", "published 1.1.0")));
        assertFalse(outcomes.allEnded());
        assertEquals(List.of("run-2"), outcomes.missing());
        AssertionError failure = assertThrows(AssertionError.class, outcomes::assertExactlyOne);
        assertTrue(failure.getMessage().contains("1 of 3 runs have no terminal outcome [run-2]"), failure.getMessage());
    }

    @Test
    void aRunThatFailedAndWasLaterPublishedHasTwoOutcomesAndFails() {
        RunOutcomes outcomes = RunOutcomes.of(RUNS, List.of(new Terminal("run-1", "published 1.0.0"),
                new Terminal("run-2", "failed at publish (timed-out)"), new Terminal("run-3", "published 1.1.0"),
                new Terminal("run-2", "published 1.2.0")));
        assertTrue(outcomes.allEnded());
        assertEquals(Map.of("run-2", List.of("failed at publish (timed-out)", "published 1.2.0")),
                outcomes.conflicting());
        AssertionError failure = assertThrows(AssertionError.class, outcomes::assertExactlyOne);
        assertTrue(failure.getMessage().contains("1 have more than one {run-2=[failed at publish (timed-out), "
                + "published 1.2.0]}"), failure.getMessage());
    }

    @Test
    void aRunPublishedAsTwoVersionsFails() {
        RunOutcomes outcomes = RunOutcomes.of(RUNS, List.of(new Terminal("run-1", "published 1.0.0"),
                new Terminal("run-1", "published 1.1.0"), new Terminal("run-2", "published 1.2.0"),
                new Terminal("run-3", "published 1.3.0")));
        assertThrows(AssertionError.class, outcomes::assertExactlyOne);
        assertEquals(2, outcomes.endedAs("published"), "a run with two outcomes counts as neither");
    }
}
