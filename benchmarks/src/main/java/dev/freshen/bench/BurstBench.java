package dev.freshen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.EventJson;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Topics;
import dev.freshen.events.image.VersionTag;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * 5. Burst throughput: a vendor update that touches many platform images at once, handled by 1 or by 2 instances of
 * the builder and of the tester. Each burst has platform images of its own (built FROM one shared fixture base, a LABEL
 * and a USER line, policy checks only: no integration-test application, to keep the run bounded), so every burst does
 * the same work: the watcher is asked to check all of them at once (8 requests in parallel), and the clock stops at the
 * last {@code ImagePublished}. Afterwards the end state is checked: one run per image, one {@code ImageBuilt} and one
 * {@code ImagePublished} per run, exactly one version tag per image; anything else is counted as a duplicate.
 */
final class BurstBench {

    /** A burst: how many images, how many builder and tester instances. */
    record Burst(int images, int instances) {
        String prefix() {
            return "burst%dx%d".formatted(images, instances);
        }

        List<String> ids() {
            return IntStream.rangeClosed(1, images).mapToObj(i -> prefix() + "/img-%02d".formatted(i)).toList();
        }
    }

    static final String BASE = "dotnet/burst";
    static final Duration BURST_TIMEOUT = Duration.ofMinutes(8);
    private static final String SECTION = "5 burst";

    private BurstBench() {
    }

    /** Writes every burst's platform images (before the services start, so no rescan is needed). */
    static void writeImages(Path root, String registryName, List<Burst> bursts) {
        try {
            for (Burst burst : bursts) {
                for (String id : burst.ids()) {
                    Path dir = Files.createDirectories(root.resolve(id));
                    Files.writeString(dir.resolve("Dockerfile"), "FROM " + registryName + "/" + BASE + ":10.0\n"
                            + "LABEL dev.freshen.bench-image=\"" + id + "\"\nUSER 1654\n");
                    Files.writeString(dir.resolve("platform-image.yaml"), """
                            schedule: "%s"
                            target:
                              repository: %s
                              tagPrefix: "10.0"
                              extraTags: ["10.0", latest]
                            checks:
                              user: non-root
                              labels: [dev.freshen.bench-image, org.opencontainers.image.base.digest]
                            notify: [%s]
                            """.formatted(Stack.NEVER, id, Stack.CHANNEL));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void run(Stack stack, Results results, List<Burst> bursts) {
        stack.publishBase(BASE);
        Map<Integer, Double> oneInstance = new HashMap<>();
        for (Burst burst : bursts) {
            if (burst.instances() == 2 && stack.service("builder-2") == null) {
                for (String service : List.of("builder", "tester")) {
                    int before = stack.groupMembers(service);
                    stack.start(service + "-2", service);
                    int after = stack.awaitGroup(service, before, Duration.ofSeconds(90));
                    Progress.say("burst: %s group has %d members (was %d)", service, after, before);
                }
                stack.footprint.recordIdle();
            }
            double seconds = burst(stack, results, burst, oneInstance.get(burst.images()));
            if (burst.instances() == 1) {
                oneInstance.put(burst.images(), seconds);
            }
        }
        results.footnote("Burst: each burst's images are new (first publish of each: build, policy checks in containers, "
                + "publish 1.0.0 + 10.0 + latest, notify); no integration-test app. Each builder and tester instance "
                + "works on up to its default concurrency (FRESHEN_BUILDER_CONCURRENCY / FRESHEN_TESTER_CONCURRENCY, 2) "
                + "images at once; Kafka topics have 6 partitions, keyed by image id. All on one 2-core machine with "
                + "one Docker daemon: a second instance adds consumers, not cores.");
    }

    private static double burst(Stack stack, Results results, Burst burst, Double oneInstanceSeconds) {
        List<String> ids = burst.ids();
        stack.footprint.recordPeaks(true);
        Instant start = Instant.now();
        Map<String, String> runs = checkAll(stack, ids);
        Ended ended = awaitEnded(stack, Set.copyOf(runs.values()));
        stack.footprint.recordPeaks(false);
        double seconds = PipelineBench.millis(start, ended.last()) / 1000;
        int duplicates = duplicates(stack, runs, ids);

        String label = "%d images, %d builder + %d tester".formatted(burst.images(), burst.instances(), burst.instances());
        String speedup = oneInstanceSeconds == null ? "" : "%.2f× the 1-instance speed".formatted(oneInstanceSeconds / seconds);
        results.add(SECTION, label + ": all published after", Measure.once(seconds), null, "s", "", speedup);
        results.add(SECTION, label + ": throughput", Measure.once(burst.images() / seconds * 60), null, "images/min", "", "");
        results.add(SECTION, label + ": runs twice / failed", Measure.once(duplicates), null, "", "goal 0: "
                + (duplicates == 0 && ended.failed() == 0 ? "met" : "missed"), ended.failed() + " failed");
        Progress.say("burst %s: %.1f s, %d duplicate(s), %d failed", burst.prefix(), seconds, duplicates, ended.failed());
        return seconds;
    }

    /** Asks the watcher to check every image, 8 at a time; image id → run id. */
    private static Map<String, String> checkAll(Stack stack, List<String> ids) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Map<String, Future<JsonNode>> answers = new HashMap<>();
            for (String id : ids) {
                answers.put(id, pool.submit(() -> stack.check(id)));
            }
            Map<String, String> runs = new HashMap<>();
            for (Map.Entry<String, Future<JsonNode>> entry : answers.entrySet()) {
                JsonNode answer = entry.getValue().get();
                if (!answer.path("result").asText().equals("RUN_STARTED")) {
                    throw new IllegalStateException("no run started for " + entry.getKey() + ": " + answer);
                }
                runs.put(entry.getKey(), answer.path("runId").asText());
            }
            return runs;
        } catch (Exception e) {
            throw new IllegalStateException("burst checks failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    private record Ended(Instant last, int failed) {
    }

    /** Waits until every run has ended (published or failed); when the last one ended, and how many failed. */
    private static Ended awaitEnded(Stack stack, Set<String> runIds) {
        long deadline = System.nanoTime() + BURST_TIMEOUT.toNanos();
        while (true) {
            List<ImagePublished> published = events(stack, Topics.IMAGE_PUBLISHED, ImagePublished.class, runIds);
            List<PipelineFailed> failed = events(stack, Topics.PIPELINE_FAILED, PipelineFailed.class, runIds);
            Set<String> ended = new java.util.HashSet<>();
            published.forEach(e -> ended.add(e.runId()));
            failed.forEach(e -> ended.add(e.runId()));
            if (ended.size() == runIds.size()) {
                Instant last = Instant.EPOCH;
                for (FreshenEvent e : published) {
                    last = e.occurredAt().isAfter(last) ? e.occurredAt() : last;
                }
                for (FreshenEvent e : failed) {
                    last = e.occurredAt().isAfter(last) ? e.occurredAt() : last;
                }
                return new Ended(last, (int) failed.stream().map(PipelineFailed::runId).distinct().count());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("burst: only " + ended.size() + " of " + runIds.size()
                        + " runs ended within " + BURST_TIMEOUT);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Runs published or built more than once, and version tags beyond one per image. */
    private static int duplicates(Stack stack, Map<String, String> runs, List<String> ids) {
        Set<String> runIds = Set.copyOf(runs.values());
        int extra = 0;
        extra += surplus(events(stack, Topics.IMAGE_PUBLISHED, ImagePublished.class, runIds), FreshenEvent::runId);
        extra += surplus(events(stack, Topics.IMAGE_BUILT, ImageBuilt.class, runIds), FreshenEvent::runId);
        RegistryClient registry = new RegistryClient(RegistrySettings.defaults());
        for (String id : ids) {
            long versions = registry.tags(stack.registry.host(), id).stream()
                    .filter(t -> VersionTag.parse("10.0", t).isPresent()).count();
            extra += (int) Math.max(0, versions - 1); // a failed run has none: counted as failed, not here
        }
        return extra;
    }

    private static <T> int surplus(List<T> events, Function<T, String> key) {
        Map<String, Integer> counts = new HashMap<>();
        events.forEach(e -> counts.merge(key.apply(e), 1, Integer::sum));
        return counts.values().stream().mapToInt(c -> c - 1).sum();
    }

    private static <T extends FreshenEvent> List<T> events(Stack stack, String topic, Class<T> type, Set<String> runIds) {
        List<T> found = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> records;
        try {
            records = stack.topics.readAll(topic);
        } catch (RuntimeException e) {
            return found; // the topic does not exist (yet): nothing on it
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                T event = EventJson.read(record.value(), type);
                if (runIds.contains(event.runId())) {
                    found.add(event);
                }
            } catch (RuntimeException e) {
                // another event type on the topic, or not ours
            }
        }
        return found;
    }
}
