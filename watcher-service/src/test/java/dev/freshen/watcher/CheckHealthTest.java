package dev.freshen.watcher;

import dev.freshen.events.ChecksFailed;
import dev.freshen.events.ChecksRecovered;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.RunIds;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streaks of failed checks: one ChecksFailed at the threshold, one ChecksRecovered after it, also across restarts. */
class CheckHealthTest {

    private static final String ID = "net10/runtime";
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    /** The check at minute {@code minute}: failed with {@code code}, or passed when {@code code} is null. */
    private static CheckOutcome check(int minute, String code) {
        Instant at = T0.plusSeconds(60L * minute);
        if (code == null) {
            return new CheckOutcome(ID, at, CheckOutcome.Result.UP_TO_DATE, "linux/amd64", Map.of(), null, null, null,
                    "built from the current upstream digests");
        }
        return new CheckOutcome(ID, at, CheckOutcome.Result.ERROR, "linux/amd64", Map.of(), null, null, null,
                "failure at minute " + minute, code);
    }

    /** Records the outcome; applies what it answers, as the announcer does once Kafka has it. */
    private static Optional<FreshenEvent> recordAndWrite(CheckHealth health, CheckOutcome outcome, List<FreshenEvent> topic) {
        Optional<FreshenEvent> event = health.record(outcome);
        event.ifPresent(e -> {
            topic.add(e);
            health.apply(e);
        });
        return event;
    }

    @Test
    void theThirdFailureInARowIsAnnouncedOnceWithTheLastReasonAndTheNextPassEndsIt() {
        CheckHealth health = new CheckHealth(3);
        List<FreshenEvent> topic = new ArrayList<>();

        assertTrue(recordAndWrite(health, check(0, CheckProblems.REGISTRY_UNREACHABLE), topic).isEmpty());
        assertEquals(new CheckHealth.Status(false, T0, 1, "registry-unreachable", "failure at minute 0", T0),
                health.status(ID), "failed once: not announced");
        assertTrue(recordAndWrite(health, check(15, CheckProblems.REGISTRY_UNREACHABLE), topic).isEmpty());
        ChecksFailed failed = assertInstanceOf(ChecksFailed.class,
                recordAndWrite(health, check(30, CheckProblems.REGISTRY_AUTH_FAILED), topic).orElseThrow());
        assertEquals(RunIds.forCheckStreak(ID, T0), failed.runId());
        assertEquals(T0, failed.failingSince());
        assertEquals(3, failed.consecutiveFailures());
        assertEquals("registry-auth-failed", failed.code(), "the last failure's code");
        assertEquals("failure at minute 30", failed.reason());
        assertTrue(health.failing(ID));

        assertTrue(recordAndWrite(health, check(45, CheckProblems.REGISTRY_AUTH_FAILED), topic).isEmpty(),
                "announced once per streak");
        assertEquals(4, health.status(ID).consecutiveFailures());

        ChecksRecovered recovered = assertInstanceOf(ChecksRecovered.class,
                recordAndWrite(health, check(60, null), topic).orElseThrow());
        assertEquals(failed.runId(), recovered.runId(), "the streak's id");
        assertEquals(T0, recovered.failingSince());
        assertEquals(T0.plusSeconds(3600), recovered.recoveredAt());
        assertEquals(4, recovered.failedCycles());
        assertFalse(health.failing(ID));
        assertEquals(CheckHealth.Status.OK, health.status(ID));
        assertTrue(recordAndWrite(health, check(75, null), topic).isEmpty(), "recovered once");
        assertEquals(2, topic.size());
    }

    @Test
    void aPassBelowTheThresholdEndsTheStreakSilently() {
        CheckHealth health = new CheckHealth(3);
        List<FreshenEvent> topic = new ArrayList<>();
        recordAndWrite(health, check(0, CheckProblems.BASE_IMAGE_MISSING), topic);
        recordAndWrite(health, check(1, CheckProblems.BASE_IMAGE_MISSING), topic);
        recordAndWrite(health, check(2, null), topic);
        recordAndWrite(health, check(3, CheckProblems.BASE_IMAGE_MISSING), topic);
        recordAndWrite(health, check(4, CheckProblems.BASE_IMAGE_MISSING), topic);
        assertTrue(topic.isEmpty(), topic::toString);
        assertEquals(T0.plusSeconds(180), health.status(ID).failingSince(), "a new streak after the pass");
    }

    @Test
    void aFlappingImageIsAnnouncedOncePerStreakThatReachesTheThreshold() {
        CheckHealth health = new CheckHealth(2);
        List<FreshenEvent> topic = new ArrayList<>();
        String[] checks = {"x", null, "x", null, "x", "x", "x", null, "x", null, "x", "x", null};
        for (int minute = 0; minute < checks.length; minute++) {
            recordAndWrite(health, check(minute, checks[minute] == null ? null : CheckProblems.REGISTRY_ERROR), topic);
        }
        assertEquals(List.of("ChecksFailed 4 2", "ChecksRecovered 4 3", "ChecksFailed 10 2", "ChecksRecovered 10 2"),
                topic.stream().map(CheckHealthTest::describe).toList());
        assertEquals(2, topic.stream().map(FreshenEvent::runId).distinct().count(), "one id per streak");
    }

    @Test
    void aRestartedWatcherRebuildsFailingFromTheTopicsAndAnnouncesNeitherTwiceNorForgets() {
        CheckHealth before = new CheckHealth(3);
        List<FreshenEvent> topic = new ArrayList<>();
        for (int minute = 0; minute < 5; minute++) {
            recordAndWrite(before, check(minute, CheckProblems.REGISTRY_UNREACHABLE), topic);
        }
        assertEquals(1, topic.size());

        CheckHealth restarted = new CheckHealth(3);
        topic.forEach(restarted::apply);
        topic.forEach(restarted::apply); // a follower that reconnects reads the topics again
        assertTrue(restarted.failing(ID), "failing is rebuilt from the topic");
        assertEquals(3, restarted.status(ID).consecutiveFailures(), "the count it was announced with");
        assertTrue(restarted.record(check(10, CheckProblems.REGISTRY_UNREACHABLE)).isEmpty(), "not announced again");
        assertEquals(4, restarted.status(ID).consecutiveFailures());
        assertEquals(T0, restarted.status(ID).failingSince());
        ChecksRecovered recovered = assertInstanceOf(ChecksRecovered.class,
                recordAndWrite(restarted, check(11, null), topic).orElseThrow());
        assertEquals(topic.get(0).runId(), recovered.runId());
        assertEquals(4, recovered.failedCycles(), "the failures between the announcement and the restart are lost");

        CheckHealth again = new CheckHealth(3);
        List.of(topic.get(1), topic.get(0)).forEach(again::apply); // two topics: any order
        assertFalse(again.failing(ID), "recovered is newer");
        assertTrue(again.record(check(12, null)).isEmpty(), "not recovered twice");
    }

    @Test
    void aStreakNotAnnouncedBeforeARestartStartsAgainAtZero() {
        CheckHealth before = new CheckHealth(3);
        before.record(check(0, CheckProblems.REGISTRY_ERROR));
        before.record(check(1, CheckProblems.REGISTRY_ERROR));

        CheckHealth restarted = new CheckHealth(3);
        assertTrue(restarted.record(check(2, CheckProblems.REGISTRY_ERROR)).isEmpty());
        assertTrue(restarted.record(check(3, CheckProblems.REGISTRY_ERROR)).isEmpty());
        ChecksFailed failed = assertInstanceOf(ChecksFailed.class,
                restarted.record(check(4, CheckProblems.REGISTRY_ERROR)).orElseThrow());
        assertEquals(T0.plusSeconds(120), failed.failingSince());
    }

    @Test
    void anAnnouncementThatCouldNotBeSentIsAnsweredAgainWithTheSameIdAtTheNextCheck() {
        CheckHealth health = new CheckHealth(1);
        ChecksFailed first = assertInstanceOf(ChecksFailed.class,
                health.record(check(0, CheckProblems.REGISTRY_ERROR)).orElseThrow());
        ChecksFailed retried = assertInstanceOf(ChecksFailed.class,
                health.record(check(1, CheckProblems.REGISTRY_ERROR)).orElseThrow());
        assertEquals(first.runId(), retried.runId(), "the notifier announces it once");
        assertEquals(2, retried.consecutiveFailures());
        health.apply(retried);
        ChecksRecovered recovered = assertInstanceOf(ChecksRecovered.class, health.record(check(2, null)).orElseThrow());
        assertTrue(health.failing(ID), "not applied yet");
        ChecksRecovered again = assertInstanceOf(ChecksRecovered.class, health.record(check(3, null)).orElseThrow(),
                "answered again");
        assertEquals(recovered.runId(), again.runId());
        assertEquals(T0, again.failingSince());
    }

    @Test
    void otherImagesAndOtherEventsAreLeftAlone() {
        CheckHealth health = new CheckHealth(1);
        health.record(check(0, CheckProblems.REGISTRY_ERROR)).ifPresent(health::apply);
        assertTrue(health.failing(ID));
        assertFalse(health.failing("net10/sdk"));
        assertEquals(CheckHealth.Status.OK, health.status("net10/sdk"));
        assertThrows(IllegalArgumentException.class, () -> new CheckHealth(0));
    }

    private static String describe(FreshenEvent event) {
        if (event instanceof ChecksFailed f) {
            return "ChecksFailed " + f.failingSince().getEpochSecond() / 60 % 60 + " " + f.consecutiveFailures();
        }
        ChecksRecovered r = (ChecksRecovered) event;
        return "ChecksRecovered " + r.failingSince().getEpochSecond() / 60 % 60 + " " + r.failedCycles();
    }
}
