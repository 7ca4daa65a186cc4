package dev.freshen.faults;

import dev.freshen.events.image.Digest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The end-state promises about staging, on states written by hand: each can fail. */
class EndStateTest {

    private static final Digest VERIFIED = Digest.parse("sha256:" + "a".repeat(64));
    private static final Digest UNVERIFIED = Digest.parse("sha256:" + "b".repeat(64));

    private static EndState state(Map<String, Map<String, Digest>> target, Map<String, Map<String, Digest>> staging) {
        return new EndState(Set.of("run-1"), Map.of("run-1", Set.of("1.0.0")), Set.of("run-2"), 2, Set.of(VERIFIED),
                target, 0, Set.of("run-1"), staging);
    }

    @Test
    void unverifiedImagesAndCandidatesOfRunsThatDidNotEndCleanlyMayStayInStaging() {
        state(Map.of("fx/app", Map.of("10.0-1.0.0", VERIFIED)),
                Map.of("fx/app-staging", Map.of("candidate-run-2", UNVERIFIED))).assertConsistent();
    }

    @Test
    void aCandidateOfAnEndedRunLeftInStagingFails() {
        var failure = assertThrows(AssertionFailedError.class, () -> state(Map.of("fx/app", Map.of("10.0-1.0.0", VERIFIED)),
                Map.of("fx/app-staging", Map.of("candidate-run-1", VERIFIED))).assertConsistent());
        assertTrue(failure.getMessage().contains("fx/app-staging:candidate-run-1"), failure.getMessage());
    }

    @Test
    void anUnverifiedDigestUnderAnyTagOfATargetRepositoryFails() {
        var failure = assertThrows(AssertionFailedError.class, () -> state(Map.of("fx/app", Map.of("10.0-1.0.0", VERIFIED,
                "candidate-run-2", UNVERIFIED)), Map.of()).assertConsistent());
        assertTrue(failure.getMessage().contains("fx/app:candidate-run-2"), failure.getMessage());
    }
}
