package dev.freshen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.EventJson;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.Topics;
import dev.freshen.testing.Commands;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * 7. Chains: the time from an upstream bump to the last level of a three-level chain published (fixture base →
 * {@code base/runtime} → {@code base/aspnet} → {@code team/app}, the fixtures of {@code ChainIT}), with the watcher
 * starting children on their parent's {@code ImagePublished} (the default) and with polling-only chaining
 * ({@code freshen.watcher.start-children-on-publish=false}), in the same run, alternating, {@code n} repetitions each.
 * Both watchers see the same descriptors: the children are polled every {@value #POLL_SECONDS} s, base/runtime never
 * (the benchmark checks it right after the bump, as its poll would). The figure is from the bump (the fixture base
 * pushed) to team/app's
 * {@code ImagePublished}; the polling-only figure is compared with the sum of the children's poll intervals, its
 * worst-case wait.
 */
final class ChainBench {

    static final String RUNTIME = "base/runtime";
    static final String ASPNET = "base/aspnet";
    static final String APP = "team/app";
    static final String UPSTREAM = "dotnet/runtime-chain";
    static final int POLL_SECONDS = 20;
    private static final String SECTION = "7 chain";
    private static final String EVENT_KEY = "freshen.watcher.start-children-on-publish";
    private static final Duration CHAIN_TIMEOUT = Duration.ofMinutes(5);

    /** One bump through the chain: from the bump to team/app's publish and each level's wait, in ms. */
    record Chain(boolean eventDriven, double total, double runtimeRun, double aspnetWait, double appWait) {
    }

    private ChainBench() {
    }

    /** The chain's three images and team/app's test app, pointed at the stack's registry name. */
    static void writeImages(Path root, String registryName) {
        Path fixtures = Commands.repositoryRoot().resolve("e2e-tests/src/test/resources/chain");
        copy(fixtures.resolve("base"), root.resolve("base"), registryName);
        copy(fixtures.resolve("team"), root.resolve("team"), registryName);
        copy(Commands.repositoryRoot().resolve("deploy/local/platform-images/apps/fixture-echo"),
                root.resolve("apps/chain-echo"), registryName);
    }

    /** A chain fixture at the stack's registry; the images of the chain (not the base) polled every few seconds. */
    private static void copy(Path source, Path target, String registryName) {
        FixtureTrees.copy(source, target, text -> text.replace("${registry}", registryName), (file, text) ->
                file.getParent().endsWith("runtime") ? text
                        : text.replaceAll("(?m)^schedule:.*$", "schedule: \"0/" + POLL_SECONDS + " * * * * ?\""));
    }

    /** The first publish of the chain (warm-up), then {@code repetitions} bumps in each mode, alternating. */
    static void run(Stack stack, Results results, int repetitions) {
        stack.publishBase(UPSTREAM);
        Chain warmUp = oneChain(stack, true, Instant.now());
        Progress.say("chain: first publish took %.0f ms", warmUp.total());
        List<Chain> event = new ArrayList<>();
        List<Chain> polling = new ArrayList<>();
        boolean eventDriven = true;
        for (int i = 0; i < 2 * repetitions; i++) {
            if (i > 0) {
                eventDriven = !eventDriven;
                stack.restart("watcher", "watcher", Map.of(EVENT_KEY, String.valueOf(eventDriven)));
            }
            stack.publishBase(UPSTREAM);
            Chain chain = oneChain(stack, eventDriven, Instant.now());
            (eventDriven ? event : polling).add(chain);
            Progress.say("chain: %s: %.0f ms (runtime %.0f ms, aspnet waited %.0f ms, app waited %.0f ms)",
                    eventDriven ? "event-driven" : "polling-only", chain.total(), chain.runtimeRun(), chain.aspnetWait(),
                    chain.appWait());
        }
        stack.restart("watcher", "watcher", Map.of());
        report(results, event, polling);
    }

    private static void report(Results results, List<Chain> event, List<Chain> polling) {
        Measure e = m(event, Chain::total);
        Measure p = m(polling, Chain::total);
        results.add(SECTION, "upstream bump → team/app published (3 levels)", e, p, "ms", "",
                "seed's way column: polling-only chaining, children polled every " + POLL_SECONDS + " s (worst case "
                        + 2 * POLL_SECONDS + " s of waits); difference of medians "
                        + Table.format(Measure.once(p.median() - e.median()), "ms"));
        results.add(SECTION, "  parent published → child's run started (per level)",
                m(event, c -> (c.aspnetWait() + c.appWait()) / 2), m(polling, c -> (c.aspnetWait() + c.appWait()) / 2),
                "ms", "", "mean of the two levels; polling-only waits for the child's next poll");
        results.add(SECTION, "  bump → base/runtime published", m(event, Chain::runtimeRun),
                m(polling, Chain::runtimeRun), "ms", "", "the same work in both modes");
    }

    private static Measure m(List<Chain> chains, java.util.function.ToDoubleFunction<Chain> f) {
        return Measure.of(chains.stream().map(c -> f.applyAsDouble(c)).toList());
    }

    /**
     * Checks base/runtime (bumped at {@code start}) and waits until all three levels have published once more. A
     * child's poll may have checked base/runtime first (a child's check looks at its ancestors): then this check finds
     * that run ({@code RUN_EXISTS}); the figure starts at the bump either way.
     */
    private static Chain oneChain(Stack stack, boolean eventDriven, Instant start) {
        int runtimeBefore = published(stack, RUNTIME).size();
        int aspnetBefore = published(stack, ASPNET).size();
        int appBefore = published(stack, APP).size();
        JsonNode check = stack.check(RUNTIME);
        if (!List.of("RUN_STARTED", "RUN_EXISTS").contains(check.path("result").asText())) {
            throw new IllegalStateException("the check of base/runtime after a bump answered " + check);
        }
        ImagePublished runtime = awaitPublished(stack, RUNTIME, runtimeBefore);
        ImagePublished aspnet = awaitPublished(stack, ASPNET, aspnetBefore);
        ImagePublished app = awaitPublished(stack, APP, appBefore);
        return new Chain(eventDriven, ms(start, app.occurredAt()), ms(start, runtime.occurredAt()),
                ms(runtime.occurredAt(), started(stack, aspnet.runId())), ms(aspnet.occurredAt(), started(stack, app.runId())));
    }

    private static ImagePublished awaitPublished(Stack stack, String imageId, int before) {
        long deadline = System.nanoTime() + CHAIN_TIMEOUT.toNanos();
        while (true) {
            List<ImagePublished> all = published(stack, imageId);
            if (all.size() > before) {
                return all.get(before);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(imageId + " did not publish within " + CHAIN_TIMEOUT.toMinutes() + " min");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<ImagePublished> published(Stack stack, String imageId) {
        return events(stack, ImagePublished.class, Topics.IMAGE_PUBLISHED, imageId);
    }

    private static Instant started(Stack stack, String runId) {
        return stack.topics.readAll(Topics.BASE_IMAGE_UPDATED).stream()
                .map(r -> EventJson.read(r.value(), BaseImageUpdated.class)).filter(e -> e.runId().equals(runId))
                .map(BaseImageUpdated::occurredAt).findFirst()
                .orElseThrow(() -> new IllegalStateException("no BaseImageUpdated of run " + runId));
    }

    private static <T extends FreshenEvent> List<T> events(Stack stack, Class<T> type, String topic, String imageId) {
        return stack.topics.readAll(topic).stream().map(r -> EventJson.read(r.value(), type))
                .filter(e -> e.imageId().equals(imageId)).sorted(Comparator.comparing(FreshenEvent::occurredAt)).toList();
    }

    private static double ms(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }
}
