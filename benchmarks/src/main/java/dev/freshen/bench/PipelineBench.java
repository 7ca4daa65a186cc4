package dev.freshen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.testing.Commands;
import dev.freshen.testing.WebhookReceiver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * 2. Orchestration overhead and 3. test-stage readiness, from real runs of the fixture platform image (busybox base,
 * the busybox httpd echo application as its integration test) through the five services: each run is a vendor update
 * of the base followed by a watcher check, one run at a time. The split comes from the events themselves: the
 * {@link StageTiming}s that {@code ImagePublished} carries and the {@code occurredAt} of {@code BaseImageUpdated}; the
 * readiness from the integration-test check of {@code ImageVerified} ("answered 200 after N ms"). The registry
 * traffic of each stage comes from the counting proxy, by time window: with one run at a time, only that stage's
 * service (or the Docker daemon working for it) talks to the registry then. 4. Promotion uses the publish windows.
 */
final class PipelineBench {

    static final String IMAGE = "fixture/runtime";
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final String SECTION_RUN = "2 orchestration";
    private static final String SECTION_READY = "3 readiness";
    private static final Pattern ANSWERED = Pattern.compile("answered \\d+ after (\\d+) ms");
    /** The seed waited a fixed time after starting the test container before sending its request. */
    static final double SEED_SLEEP_MS = 20_000;

    /** One measured run. */
    record Run(String runId, ImagePublished published, double total, double build, double test, double publish,
               double hops, double toBuilder, double toTester, double toPublisher, double testerCleanup,
               double javaRegistryInDockerStages,
               double readiness, double notified,
               CountingProxy.Totals buildTraffic, CountingProxy.Totals testTraffic, CountingProxy.Totals publishTraffic,
               long publishLayerBytes, long publishManifestPuts, long candidateLayerBytes) {

        double docker() {
            return build + test + testerCleanup - javaRegistryInDockerStages;
        }

        double nonDocker() {
            return total - docker();
        }
    }

    private PipelineBench() {
    }

    /** Copies the local run's fixture platform image and its app, pointed at the stack's registry name. */
    static void writeImages(Path root, String registryName) {
        FixtureTrees.copy(Commands.repositoryRoot().resolve("deploy/local/platform-images"), root,
                text -> text.replace("127.0.0.1:5000", registryName),
                (file, text) -> text.replaceAll("(?m)^schedule:.*$", "schedule: \"" + Stack.NEVER + "\"")
                        .replaceAll("(?m)^notify:.*$", "notify: [" + Stack.CHANNEL + "]")
                        // the base it publishes is one amd64 image; two platforms are PlatformRunBench's
                        .replaceAll("(?m)^platforms:.*$", "platforms: [linux/amd64]"));
    }

    /** A first (warm-up) run, then {@code runs} measured ones; adds sections 2 and 3 and returns the runs for 4. */
    static List<Run> run(Stack stack, Results results, int runs) {
        stack.publishBase("dotnet/runtime");
        Run warmUp = oneRun(stack);
        Progress.say("pipeline: warm-up run (first publish) took %.0f ms", warmUp.total());
        List<Run> measured = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            stack.publishBase("dotnet/runtime");
            Run run = oneRun(stack);
            measured.add(run);
            Progress.say("pipeline: run %d: %.0f ms in all, docker %.0f ms, other %.0f ms, readiness %.0f ms", i + 1,
                    run.total(), run.docker(), run.nonDocker(), run.readiness());
        }
        report(results, measured);
        return measured;
    }

    private static void report(Results results, List<Run> runs) {
        Measure nonDocker = m(runs, Run::nonDocker);
        results.add(SECTION_RUN, "BaseImageUpdated → ImagePublished", m(runs, Run::total), null, "ms", "", "one run at a time");
        results.add(SECTION_RUN, "docker work (build + test stages + clean-up)", m(runs, Run::docker), null, "ms", "",
                "build " + Table.format(m(runs, Run::build), "ms") + ", test " + Table.format(m(runs, Run::test), "ms"));
        results.add(SECTION_RUN, "  of which tester's clean-up before ImageVerified", m(runs, Run::testerCleanup), null,
                "ms", "", "docker rm/rmi after the test stage's timing ends");
        results.add(SECTION_RUN, "everything else", nonDocker, null, "ms",
                "goal < 1 s: " + (nonDocker.median() < 1000 ? "met" : "missed"), "total − docker work; "
                        + Table.format(m(runs, r -> r.nonDocker() + r.testerCleanup()), "ms") + " if the clean-up counted here");
        results.add(SECTION_RUN, "  of which between stages", m(runs, Run::hops), null, "ms", "",
                "watcher check → build " + Table.format(m(runs, Run::toBuilder), "ms") + ", → test "
                        + Table.format(m(runs, Run::toTester), "ms") + ", → publish "
                        + Table.format(m(runs, Run::toPublisher), "ms") + " (less the clean-up)");
        results.add(SECTION_RUN, "  of which publish stage", m(runs, Run::publish), null, "ms", "", "registry calls only");
        results.add(SECTION_RUN, "  of which services' registry calls in build/test", m(runs, Run::javaRegistryInDockerStages),
                null, "ms", "", "not the daemon's");
        results.add(SECTION_RUN, "ImagePublished → notification received", m(runs, Run::notified), null, "ms", "",
                "after the run, not in it");
        results.add(SECTION_RUN, "registry traffic of a run (all stages)", m(runs, r -> r.buildTraffic().bytes()
                + r.testTraffic().bytes() + r.publishTraffic().bytes()), null, "bytes", "", "docker pulls/pushes included");
        Measure readiness = m(runs, Run::readiness);
        results.add(SECTION_READY, "container start → first answer of the app", readiness, Measure.once(SEED_SLEEP_MS),
                "ms", "", "seed: fixed sleep");
        results.footnote("Orchestration: " + runs.size() + " runs of deploy/local's fixture image (busybox base, busybox "
                + "httpd app) after a warm-up run; each run = a new vendor base + one watcher check. Docker work = the "
                + "build and test stage durations from ImagePublished.timings (image build, candidate push, pull, policy "
                + "check containers, app build and run), plus the tester's clean-up of its containers and images between "
                + "the end of its stage timing and sending ImageVerified (from its log), minus the services' own registry "
                + "calls inside those stages (Java client, seen by the proxy). Everything else = "
                + "BaseImageUpdated.occurredAt → ImagePublished.occurredAt minus docker work. Between stages: "
                + "BaseImageUpdated.occurredAt (the watcher's check starts: its registry calls, Kafka send) → build start, "
                + "build end → test start, test end → publish start. Readiness polling (every 200 ms) happens inside the "
                + "test stage and is counted as docker work; its slack is at most 200 ms per run.");
    }

    private static Run oneRun(Stack stack) {
        JsonNode answer = stack.check(IMAGE);
        if (!answer.path("result").asText().equals("RUN_STARTED")) {
            throw new IllegalStateException("the watcher did not start a run: " + answer);
        }
        String runId = answer.path("runId").asText();
        ImagePublished published = stack.topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(runId), RUN_TIMEOUT);
        BaseImageUpdated updated = stack.topics.awaitEvent(BaseImageUpdated.class, e -> e.runId().equals(runId),
                Duration.ofSeconds(30));
        ImageVerified verified = stack.topics.awaitEvent(ImageVerified.class, e -> e.runId().equals(runId),
                Duration.ofSeconds(30));
        Instant notified = awaitNotification(stack.receiver, runId);

        StageTiming build = timing(published, Stage.BUILD);
        StageTiming test = timing(published, Stage.TEST);
        StageTiming publish = timing(published, Stage.PUBLISH);
        double total = millis(updated.occurredAt(), published.occurredAt());
        double javaInDocker = stack.proxy.exchanges().stream()
                .filter(e -> e.agent().equals("java") && (within(e.start(), build) || within(e.start(), test)))
                .mapToDouble(e -> millis(e.start(), e.end())).sum();
        CountingProxy proxy = stack.proxy;
        CountingProxy.Totals buildTraffic = proxy.totalsBetween(build.startedAt(), build.finishedAt(), e -> true);
        CountingProxy.Totals testTraffic = proxy.totalsBetween(test.startedAt(), test.finishedAt(), e -> true);
        CountingProxy.Totals publishTraffic = proxy.totalsBetween(publish.startedAt(), publish.finishedAt(), e -> true);
        long publishLayers = proxy.totalsBetween(publish.startedAt(), publish.finishedAt(),
                CountingProxy.Exchange::isBlobUpload).up();
        long manifestPuts = proxy.totalsBetween(publish.startedAt(), publish.finishedAt(),
                CountingProxy.Exchange::isManifestPut).requests();
        long candidateLayers = proxy.totalsBetween(build.startedAt(), build.finishedAt(),
                CountingProxy.Exchange::isBlobUpload).up();
        proxy.reset();
        double cleanup = testerCleanup(stack.service("tester").log(), runId);
        return new Run(runId, published, total, ms(build), ms(test), ms(publish),
                total - ms(build) - ms(test) - ms(publish) - cleanup, millis(updated.occurredAt(), build.startedAt()),
                millis(build.finishedAt(), test.startedAt()), millis(test.finishedAt(), publish.startedAt()) - cleanup,
                cleanup, javaInDocker, readiness(verified),
                millis(published.occurredAt(), notified), buildTraffic, testTraffic, publishTraffic, publishLayers,
                manifestPuts, candidateLayers);
    }

    /**
     * The tester ends its test stage's timing, then removes the test's container and images (Docker work), then sends
     * {@code ImageVerified}: that clean-up is not in any stage timing. Its length comes from the tester's log, from its
     * "verified" line (written when the timing ends) to the listener's line written just before the event is sent.
     */
    private static double testerCleanup(Path log, String runId) {
        Instant verified = null;
        Instant sent = null;
        try (Stream<String> lines = Files.lines(log)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.length() < 23 || !line.contains("Run " + runId + " (")) {
                    continue;
                }
                if (line.contains("): verified ")) {
                    verified = logTime(line);
                } else if (line.endsWith("): IMAGE_VERIFIED")) {
                    sent = logTime(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return verified == null || sent == null ? 0 : millis(verified, sent);
    }

    /** The timestamp of a Quarkus log line ({@code 2026-11-27 23:45:55,743 INFO ...}); only differences are used. */
    private static Instant logTime(String line) {
        return java.time.LocalDateTime.parse(line.substring(0, 23).replace(' ', 'T').replace(',', '.'))
                .toInstant(java.time.ZoneOffset.UTC);
    }

    private static double readiness(ImageVerified verified) {
        return verified.checks().stream().map(c -> ANSWERED.matcher(c.detail() == null ? "" : c.detail()))
                .filter(Matcher::find).mapToDouble(m -> Double.parseDouble(m.group(1))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no integration-test check in " + verified.checks()));
    }

    /** When the notifier's post of this run's ImagePublished reached the receiver. */
    private static Instant awaitNotification(WebhookReceiver receiver, String runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<WebhookReceiver.Request> requests = receiver.requests();
            List<Instant> arrivals = receiver.arrivals();
            for (int i = 0; i < Math.min(requests.size(), arrivals.size()); i++) {
                WebhookReceiver.Request r = requests.get(i);
                String type = r.header("ce-type");
                if (r.body().contains(runId) && type != null && type.contains("image-published")) {
                    return arrivals.get(i);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no notification of run " + runId + " within 60 s");
    }

    static StageTiming timing(ImagePublished published, Stage stage) {
        return published.timings().stream().filter(t -> t.stage() == stage).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("no " + stage + " timing in " + published.timings()));
    }

    private static boolean within(Instant at, StageTiming t) {
        return !at.isBefore(t.startedAt()) && !at.isAfter(t.finishedAt());
    }

    private static double ms(StageTiming t) {
        return millis(t.startedAt(), t.finishedAt());
    }

    static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    static Measure m(List<Run> runs, ToDoubleFunction<Run> metric) {
        return Measure.of(runs.stream().map(r -> metric.applyAsDouble(r)).toList());
    }
}
