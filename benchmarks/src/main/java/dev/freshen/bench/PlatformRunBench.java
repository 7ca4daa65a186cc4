package dev.freshen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.CheckResult;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.image.Platform;
import dev.freshen.testing.Commands;
import dev.freshen.testing.Emulation;
import dev.freshen.testing.MultiArchBase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 8. Platform runs: what a two-platform run (linux/amd64 native + linux/arm64 under QEMU user emulation, published as
 * one OCI image index) costs beside a one-platform run (linux/amd64) of the same image: {@code MultiPlatformIT}'s
 * fixture (busybox base from {@link MultiArchBase}, a {@code RUN} step, a command check and the busybox httpd app),
 * twice in the platform-images folder, once with {@code platforms: [linux/amd64]}. Each repetition publishes a new
 * base (both platforms move) and runs the two images one after the other, alternating which goes first. Figures per
 * stage from {@code ImagePublished.timings}, the builder's uploads and the publisher's manifest PUTs from the counting
 * proxy by stage window, and the test app's readiness per platform from the integration-test checks.
 */
final class PlatformRunBench {

    static final String ONE = "platforms/one";
    static final String TWO = "platforms/two";
    static final String BASE = "dotnet/runtime-multi";
    private static final String SECTION = "8 platform runs";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final Platform ARM64 = Platform.parse("linux/arm64");
    /** "answered 200 after 2143 ms", "answered 200 after 2.1s under emulation": the readiness in ms. */
    private static final Pattern ANSWERED = Pattern.compile("answered \\d+ after ([0-9.]+) ?(ms|s)\\b");

    /** One measured run (times in ms). */
    record Run(String imageId, double total, double build, double test, double publish, long builderUploads,
               long manifestPuts, double nativeReadiness, double emulatedReadiness) {
    }

    private PlatformRunBench() {
    }

    /** Two copies of MultiPlatformIT's image (one of them amd64 only) and its test app, at the stack's registry. */
    static void writeImages(Path root, String registryName) {
        Path fixture = Commands.repositoryRoot().resolve("e2e-tests/src/test/resources/multi-platform/multi/app");
        copy(fixture, root.resolve(TWO), registryName, "platform/two", null);
        copy(fixture, root.resolve(ONE), registryName, "platform/one", "platforms: [linux/amd64]");
        copy(Commands.repositoryRoot().resolve("deploy/local/platform-images/apps/fixture-echo"),
                root.resolve("apps/multi-echo"), registryName, null, null);
    }

    private static void copy(Path source, Path target, String registryName, String repository, String platforms) {
        FixtureTrees.copy(source, target, text -> text.replace("${registry}", registryName), (file, text) -> {
            String descriptor = text.replaceAll("(?m)^schedule:.*$", "schedule: \"" + Stack.NEVER + "\"")
                    .replace("repository: platform/multi", "repository: " + repository)
                    + "notify: [" + Stack.CHANNEL + "]\n";
            return platforms == null ? descriptor : descriptor.replaceAll("(?m)^platforms:.*$", platforms);
        });
    }

    /** A warm-up run of each image, then {@code repetitions} measured runs of each; adds section 8. */
    static void run(Stack stack, Results results, int repetitions) {
        Emulation.requireArm64();
        MultiArchBase base = new MultiArchBase(stack.registry.host(), BASE);
        base.publish("10.0", MultiArchBase.Variant.initial());
        Progress.say("platform runs: warm-up %s %.0f ms, %s %.0f ms", ONE, oneRun(stack, ONE).total(), TWO,
                oneRun(stack, TWO).total());
        List<Run> one = new ArrayList<>();
        List<Run> two = new ArrayList<>();
        for (int i = 1; i <= repetitions; i++) {
            base.publish("10.0", MultiArchBase.Variant.initial().withAmd64("A" + (i + 1)).withArm64("I" + (i + 1)));
            for (String imageId : i % 2 == 1 ? List.of(ONE, TWO) : List.of(TWO, ONE)) {
                Run run = oneRun(stack, imageId);
                (imageId.equals(ONE) ? one : two).add(run);
                Progress.say("platform runs: %d %s: %.0f ms (build %.0f, test %.0f, publish %.0f)", i, imageId,
                        run.total(), run.build(), run.test(), run.publish());
            }
        }
        report(results, one, two);
    }

    private static void report(Results results, List<Run> one, List<Run> two) {
        row(results, "build stage", one, two, Run::build, "ms");
        row(results, "test stage", one, two, Run::test, "ms");
        row(results, "publish stage", one, two, Run::publish, "ms");
        row(results, "BaseImageUpdated → ImagePublished", one, two, Run::total, "ms");
        row(results, "bytes the builder uploaded", one, two, r -> r.builderUploads(), "bytes");
        row(results, "manifests the publisher put", one, two, r -> r.manifestPuts(), "requests");
        for (boolean emulated : List.of(false, true)) {
            ToDoubleFunction<Run> readiness = emulated ? Run::emulatedReadiness : Run::nativeReadiness;
            if (two.stream().anyMatch(r -> !Double.isNaN(readiness.applyAsDouble(r)))) {
                results.add(SECTION, "two platforms: test app readiness, " + (emulated ? "linux/arm64 (emulated)"
                        : "linux/amd64 (native)"), m(two, readiness), null, "ms", "", "container start → first answer");
            }
        }
        results.footnote("Platform runs: MultiPlatformIT's fixture image (busybox base index, RUN busybox --install and "
                + "uname -m, a command check, the busybox httpd echo app) as " + ONE + " (platforms: [linux/amd64]) and "
                + TWO + " (linux/amd64 + linux/arm64, arm64 built and tested under QEMU user emulation, published as "
                + "one OCI index), " + one.size() + " runs each after a warm-up run each; every repetition publishes a "
                + "new base for both platforms and checks both images, one run at a time, alternating the order. "
                + "Stage figures from ImagePublished.timings; uploads = blob upload bytes during the build stage; "
                + "manifest PUTs during the publish stage (the two-platform publish also puts the platform images).");
    }

    private static void row(Results results, String metric, List<Run> one, List<Run> two, ToDoubleFunction<Run> value,
                            String unit) {
        Measure single = m(one, value);
        Measure both = m(two, value);
        results.add(SECTION, metric + ": one platform", single, null, unit, "", "");
        results.add(SECTION, metric + ": two platforms", both, null, unit, "",
                single.median() == 0 ? "" : String.format(java.util.Locale.ROOT, "%.1f× one platform",
                        both.median() / single.median()));
    }

    private static Run oneRun(Stack stack, String imageId) {
        JsonNode answer = stack.check(imageId);
        if (!answer.path("result").asText().equals("RUN_STARTED")) {
            throw new IllegalStateException("the watcher did not start a run of " + imageId + ": " + answer);
        }
        String runId = answer.path("runId").asText();
        ImagePublished published;
        try {
            published = stack.topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(runId), RUN_TIMEOUT);
        } catch (AssertionError | RuntimeException e) {
            String failed = stack.topics.readAll(dev.freshen.events.Topics.PIPELINE_FAILED).stream()
                    .map(r -> dev.freshen.events.EventJson.read(r.value(), PipelineFailed.class))
                    .filter(f -> f.runId().equals(runId)).map(PipelineFailed::reason).findFirst().orElse("no failure event");
            throw new IllegalStateException("run " + runId + " of " + imageId + " was not published: " + failed, e);
        }
        BaseImageUpdated updated = stack.topics.awaitEvent(BaseImageUpdated.class, e -> e.runId().equals(runId),
                Duration.ofSeconds(30));
        ImageVerified verified = stack.topics.awaitEvent(ImageVerified.class, e -> e.runId().equals(runId),
                Duration.ofSeconds(30));
        StageTiming build = PipelineBench.timing(published, Stage.BUILD);
        StageTiming publish = PipelineBench.timing(published, Stage.PUBLISH);
        long uploads = stack.proxy.totalsBetween(build.startedAt(), build.finishedAt(),
                CountingProxy.Exchange::isBlobUpload).up();
        long puts = stack.proxy.totalsBetween(publish.startedAt(), publish.finishedAt(),
                CountingProxy.Exchange::isManifestPut).requests();
        stack.proxy.reset();
        return new Run(imageId, PipelineBench.millis(updated.occurredAt(), published.occurredAt()), ms(build),
                ms(PipelineBench.timing(published, Stage.TEST)), ms(publish), uploads, puts,
                readiness(verified, false).orElse(Double.NaN), readiness(verified, true).orElse(Double.NaN));
    }

    /** The integration test's readiness on the native platform, or on linux/arm64 (emulated here). */
    private static OptionalDouble readiness(ImageVerified verified, boolean emulated) {
        return verified.checks().stream().filter(c -> c.name().startsWith("integration-test"))
                .filter(c -> emulated == ARM64.equals(c.platform()))
                .map(CheckResult::detail).map(d -> ANSWERED.matcher(d == null ? "" : d)).filter(Matcher::find)
                .mapToDouble(m -> Double.parseDouble(m.group(1)) * (m.group(2).equals("s") ? 1000 : 1)).findFirst();
    }

    private static double ms(StageTiming t) {
        return PipelineBench.millis(t.startedAt(), t.finishedAt());
    }

    private static Measure m(List<Run> runs, ToDoubleFunction<Run> metric) {
        return Measure.of(runs.stream().map(metric::applyAsDouble).filter(v -> !Double.isNaN(v)).toList());
    }
}
