package dev.freshen.watcher;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.Stage;
import dev.freshen.testing.SampleEvents;
import dev.freshen.watcher.metrics.StalenessGauges;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static dev.freshen.watcher.RunLedgerTest.failed;
import static dev.freshen.watcher.RunLedgerTest.published;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageStalenessTest {

    private static final String ID = SampleEvents.IMAGE_ID;
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final RunLedger ledger = new RunLedger();
    private final ImageStaleness staleness = new ImageStaleness(ledger);

    @Test
    void noAnswerUntilTheTopicsAreReadThenZeroWithoutUpdates() {
        assertTrue(Double.isNaN(staleness.seconds(ID, T0)));
        ledger.markComplete();
        assertEquals(0.0, staleness.seconds(ID, T0));
    }

    @Test
    void anUpdateIsStaleFromWhenItWasSeenThroughAFailedRunUntilItsRebuildIsPublished() {
        ledger.markComplete();
        BaseImageUpdated update = update("b-001", T0);
        ledger.apply(update);
        assertEquals(90.0, staleness.seconds(ID, T0.plusSeconds(90)));

        ledger.apply(failed("b-001", Stage.TEST, T0.plusSeconds(100)));
        assertEquals(3600.0, staleness.seconds(ID, T0.plusSeconds(3600)), "a failed rebuild keeps it stale");

        ledger.apply(published("b-001", ID, T0.plusSeconds(4000)));
        assertEquals(0.0, staleness.seconds(ID, T0.plusSeconds(5000)));
    }

    @Test
    void theOldestUnresolvedUpdateCountsAndALaterForcedPublishResolvesEarlierUpdates() {
        ledger.markComplete();
        ledger.apply(update("b-001", T0));
        ledger.apply(failed("b-001", Stage.BUILD, T0.plusSeconds(10)));
        ledger.apply(update("b-002", T0.plusSeconds(600)));
        assertEquals(1000.0, staleness.seconds(ID, T0.plusSeconds(1000)), "since the first update, not the second");

        ForceUpdateRequested forced = new ForceUpdateRequested("f-001", ID, 1, T0.plusSeconds(700), "retry", "alice");
        ledger.apply(forced);
        ledger.apply(published("f-001", ID, T0.plusSeconds(800)));
        assertEquals(0.0, staleness.seconds(ID, T0.plusSeconds(1000)), "the forced run built from the newest base");
    }

    @Test
    void aPublishOfARunStartedBeforeTheUpdateDoesNotResolveIt() {
        ledger.markComplete();
        ledger.apply(new ForceUpdateRequested("f-001", ID, 1, T0, "retry", "alice"));
        ledger.apply(update("b-001", T0.plusSeconds(60)));
        ledger.apply(published("f-001", ID, T0.plusSeconds(120)));
        assertEquals(240.0, staleness.seconds(ID, T0.plusSeconds(300)));
    }

    @Test
    void aRestartedWatcherReadingTheTopicsInAnyOrderGetsTheSameAnswer() {
        RunLedger replayed = new RunLedger();
        replayed.apply(published("b-002", ID, T0.plusSeconds(900)));
        replayed.apply(update("b-002", T0.plusSeconds(600)));
        replayed.apply(update("b-001", T0));
        replayed.apply(update("b-003", T0.plusSeconds(1200)));
        replayed.markComplete();
        assertEquals(300.0, new ImageStaleness(replayed).seconds(ID, T0.plusSeconds(1500)));
    }

    @Test
    void theGaugesFollowTheWatchedImages() {
        ledger.markComplete();
        ledger.apply(update("b-001", T0));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StalenessGauges gauges = new StalenessGauges(registry, staleness,
                Clock.fixed(T0.plusSeconds(42), ZoneOffset.UTC));

        gauges.track(Set.of(ID, "net10/aspnet"));
        assertEquals(42.0, registry.get(StalenessGauges.NAME).tag("image", ID).gauge().value());
        assertEquals(0.0, registry.get(StalenessGauges.NAME).tag("image", "net10/aspnet").gauge().value());

        gauges.track(Set.of("net10/aspnet"));
        assertEquals(List.of("net10/aspnet"), registry.find(StalenessGauges.NAME).gauges().stream()
                .map(g -> g.getId().getTag("image")).toList());
    }

    private static BaseImageUpdated update(String runId, Instant at) {
        return new BaseImageUpdated(runId, ID, 1, at, List.of(SampleEvents.BASE), "sha256:content");
    }
}
