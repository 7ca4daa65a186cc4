package dev.freshen.faults;

import dev.freshen.events.EventJson;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.InvalidEventException;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Topics;
import dev.freshen.testing.ServiceProcess;
import dev.freshen.testing.WebhookReceiver;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Randomized chaos: a burst of 30 runs (10 images, 3 forced runs each) while services chosen at random from the five
 * are SIGKILLed at random moments and started again, one at a time; afterwards every run has exactly one terminal
 * outcome ({@link RunOutcomes} says what "exactly one" means), every run was announced on Teams at least once, and the
 * end state holds. The kills come from a seed ({@code -Dfreshen.chaos.seed=…}, random when not set), printed at the
 * start and in any failure message, so a failure can be replayed. The whole scenario is bounded to 5 minutes.
 */
@Order(8)
class ChaosIT {

    private static final int IMAGES = 10;
    private static final int RUNS_PER_IMAGE = 3;
    private static final List<String> IDS = IntStream.rangeClosed(1, IMAGES)
            .mapToObj(i -> "chaos/image-%02d".formatted(i)).toList();
    private static final Duration BOUND = Duration.ofMinutes(5);
    private static final int KILLS = 6;
    private static final Duration MIN_PAUSE = Duration.ofSeconds(1);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(6);
    private static FaultStack stack;
    private static KillSchedule schedule;

    @BeforeAll
    static void up() {
        long seed = KillSchedule.seed(System.getProperty(KillSchedule.SEED_PROPERTY),
                () -> ThreadLocalRandom.current().nextLong());
        schedule = KillSchedule.draw(seed, KILLS, MIN_PAUSE, MAX_PAUSE);
        System.out.println("Chaos seed " + seed + " (replay with -D" + KillSchedule.SEED_PROPERTY + "=" + seed + "): "
                + schedule.describe());
        stack = FaultStack.shared();
    }

    @Test
    void thirtyRunsUnderRandomKillsEachEndExactlyOnceAndLeaveAConsistentEndState() throws Exception {
        ScenarioReport.run("13 chaos: 30 runs, random SIGKILLs, restarts", () -> {
            try {
                return chaos();
            } catch (Exception | AssertionError e) {
                throw new AssertionError("chaos seed " + schedule.seed() + " (replay with -D"
                        + KillSchedule.SEED_PROPERTY + "=" + schedule.seed() + "): " + e.getMessage(), e);
            }
        });
    }

    private static String chaos() {
        long start = System.nanoTime();
        Instant deadline = Instant.now().plus(BOUND);
        IDS.forEach(id -> stack.addImage(id, "dotnet/runtime:10.0", "", "teams"));
        List<String> runs = new ArrayList<>();
        for (int round = 1; round <= RUNS_PER_IMAGE; round++) {
            for (String id : IDS) {
                runs.add(stack.forceUpdate(id, "chaos round " + round));
            }
        }
        long burst = System.nanoTime();

        Map<String, Integer> killsByService = new LinkedHashMap<>();
        KillSchedule.SERVICES.forEach(service -> killsByService.put(service, 0));
        List<Long> readyAfter = new ArrayList<>();
        int kill = 0;
        for (KillSchedule.Kill next : schedule.kills()) {
            if (endedWithin(runs, next.pause())) {
                break; // all runs ended before the next kill: the rest of the schedule is not needed
            }
            kill++;
            ServiceProcess service = stack.service(next.service());
            int ended = runs.size() - outcomes(runs).missing().size();
            long killed = System.nanoTime();
            service.kill();
            service.restart(min(FaultStack.READY, remaining(deadline, "restarting the " + next.service())));
            readyAfter.add(Duration.ofNanos(System.nanoTime() - killed).toMillis());
            killsByService.merge(next.service(), 1, Integer::sum);
            System.out.printf(Locale.ROOT, "Chaos kill %d of %d: %s at %ds of the burst (%d of %d runs ended), ready again %.1fs later%n",
                    kill, KILLS, next.service(), Duration.ofNanos(killed - burst).toSeconds(), ended, runs.size(),
                    readyAfter.get(readyAfter.size() - 1) / 1000.0);
        }

        try {
            await("all " + runs.size() + " runs end").atMost(remaining(deadline, "waiting for the runs to end"))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> outcomes(runs).allEnded());
        } catch (ConditionTimeoutException e) {
            outcomes(runs).assertExactlyOne(); // names the runs without an outcome
        }
        long allEnded = Duration.ofNanos(System.nanoTime() - burst).toSeconds();
        // the notifier may have been the last one killed: its cards come a little later
        try {
            await("a card for every run").atMost(remaining(deadline, "waiting for the cards"))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> uncarded(runs).isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("runs without a Teams card: " + uncarded(runs));
        }

        EndState end = stack.endState(IDS);
        RunOutcomes outcomes = outcomes(runs); // read after the end state, so that a late second outcome is seen
        outcomes.assertExactlyOne();
        end.assertConsistent();
        assertEquals(Set.copyOf(runs), end.runs(), "no run started but the " + runs.size() + " requested");
        String figures = "%s cards=%d kills=%d (%s) ready-after=%s all-ended-in=%ds seed=%d".formatted(
                outcomes.counts(), cards(runs), kill, killsByService.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")),
                spread(readyAfter), allEnded, schedule.seed());
        long took = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        if (took > BOUND.toSeconds()) {
            throw new AssertionError("the scenario took " + took + "s, more than its bound of " + BOUND.toMinutes()
                    + " min; the outcome and end-state checks held: " + figures);
        }
        return figures;
    }

    /** Waits up to {@code pause} for all runs to end; whether they did. */
    private static boolean endedWithin(List<String> runs, Duration pause) {
        try {
            await().atMost(pause).pollInterval(Duration.ofMillis(500)).until(() -> outcomes(runs).allEnded());
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** The terminal outcomes of {@code runs}, read from the topics now. */
    private static RunOutcomes outcomes(List<String> runs) {
        List<RunOutcomes.Terminal> terminals = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : stack.topics.readAll(Topics.IMAGE_PUBLISHED)) {
            read(record, ImagePublished.class).ifPresent(p -> terminals.add(RunOutcomes.Terminal.of(p)));
        }
        for (ConsumerRecord<String, byte[]> record : stack.topics.readAll(Topics.PIPELINE_FAILED)) {
            read(record, PipelineFailed.class).ifPresent(f -> terminals.add(RunOutcomes.Terminal.of(f)));
        }
        return RunOutcomes.of(runs, terminals);
    }

    private static <T extends FreshenEvent> Optional<T> read(
            ConsumerRecord<String, byte[]> record, Class<T> type) {
        if (!IDS.contains(record.key())) {
            return Optional.empty(); // another scenario's image
        }
        try {
            return Optional.of(EventJson.read(record.value(), type));
        } catch (InvalidEventException e) {
            return Optional.empty(); // none are sent for these images; EndState counts dead letters
        }
    }

    private static List<WebhookReceiver.Request> teamsCards() {
        return stack.receiver.requests(FaultStack.TEAMS_PATH);
    }

    private static List<String> uncarded(List<String> runs) {
        List<WebhookReceiver.Request> cards = teamsCards();
        return runs.stream().filter(run -> cards.stream().noneMatch(c -> c.body().contains(run))).toList();
    }

    private static long cards(List<String> runs) {
        return teamsCards().stream().filter(c -> runs.stream().anyMatch(run -> c.body().contains(run))).count();
    }

    private static Duration remaining(Instant deadline, String doing) {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new AssertionError("the " + BOUND.toMinutes() + " min bound of the scenario passed while " + doing);
        }
        return left;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String spread(List<Long> millis) {
        if (millis.isEmpty()) {
            return "-";
        }
        return "%d-%ds".formatted(millis.stream().mapToLong(m -> m).min().orElseThrow() / 1000,
                (millis.stream().mapToLong(m -> m).max().orElseThrow() + 999) / 1000);
    }
}
