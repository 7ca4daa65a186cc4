package dev.freshen.tester;

import com.sun.net.httpserver.HttpServer;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.docker.BuildLog;
import dev.freshen.docker.BuildSpec;
import dev.freshen.events.CheckResult;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.tester.http.AppProbe;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stage against a fake engine: per-platform testing of a multi-platform candidate (the engine's own platform
 * first, the emulation factor on the other, the app on the platforms the descriptor names, the failing platform
 * named), and a single-platform candidate tested exactly as before. The real engine: {@code MultiPlatformVerifyIT}.
 */
class VerificationStageTest {

    private static final Platform AMD64 = Platform.LINUX_AMD64;
    private static final Platform ARM64 = Platform.parse("linux/arm64");
    private static final String REPOSITORY = "127.0.0.1:5000/platform/multi";
    private static final Digest INDEX = SampleEvents.digest('1');
    private static final Digest AMD64_CHILD = SampleEvents.digest('a');
    private static final Digest ARM64_CHILD = SampleEvents.digest('b');
    private static final TesterSettings SETTINGS = new TesterSettings(Duration.ofMinutes(15), Duration.ofMinutes(2), 20,
            new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1)), 3);

    @TempDir
    Path platformImages;
    private HttpServer app;
    private final FakeRuntime runtime = new FakeRuntime();

    @BeforeEach
    void startApp() throws IOException {
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/", exchange -> {
            byte[] body = "hello from freshen".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        runtime.appPort = app.getAddress().getPort();
        write("apps/web/Dockerfile", "FROM base/runtime:1\nCOPY . /www\n");
    }

    @AfterEach
    void stopApp() {
        app.stop(0);
    }

    @Test
    void eachPlatformIsTestedByItsOwnDigestTheEnginesOwnFirstTheOtherUnderEmulation() throws IOException {
        descriptor("multi/both", "[linux/arm64, linux/amd64]", "");
        ImageBuilt built = built("multi/both", ARM64, AMD64);

        ImageVerified verified = assertInstanceOf(ImageVerified.class, stage().verify(built));

        assertEquals(List.of("pull linux/amd64 " + AMD64_CHILD.shortHex(), "pull linux/arm64 " + ARM64_CHILD.shortHex()),
                runtime.calls("pull"), "the engine's own platform first, each child by its digest");
        assertEquals(List.of("run linux/amd64 2m", "run linux/arm64 6m"), runtime.calls("run"),
                "a check command may take the factor (3) times longer under emulation");
        assertEquals(List.of("build native 15m engine-api FROM " + REPOSITORY + "@" + AMD64_CHILD,
                        "build linux/arm64 45m buildkit FROM " + REPOSITORY + "@" + ARM64_CHILD), runtime.calls("build"),
                "the foreign app is built with BuildKit for its platform, FROM its child");
        assertEquals(List.of("start linux/amd64", "start linux/arm64"), runtime.calls("start"));
        assertEquals(built.manifests(), verified.manifests());
        assertEquals(INDEX, verified.candidate().digest(), "the candidate stays the index");
        assertEquals(List.of(
                        "linux/amd64 file: /etc/passwd exists",
                        "linux/amd64 command: uname -m exit 0",
                        "linux/amd64 integration-test: GET / answered 200 after",
                        "linux/arm64 file: /etc/passwd exists",
                        "linux/arm64 command: uname -m exit 0 under emulation",
                        "linux/arm64 integration-test: GET / answered 200 after"),
                verified.checks().stream().map(c -> c.platform() + " " + c.name() + " " + c.detail()
                        .replaceFirst(" after .*", " after")).toList());
        assertTrue(verified.checks().get(5).detail().endsWith(" under emulation"), verified.checks().get(5).detail());
        assertTrue(!verified.checks().get(2).detail().contains("emulation"), verified.checks().get(2).detail());
        assertEquals(runtime.removed, runtime.pulled(), "every image it pulled or built is removed again");
    }

    @Test
    void theAppRunsOnlyOnThePlatformsTheIntegrationTestNames() throws IOException {
        descriptor("multi/amd64-app", "[linux/amd64, linux/arm64]", "  platforms: [linux/amd64]\n");

        ImageVerified verified = assertInstanceOf(ImageVerified.class,
                stage().verify(built("multi/amd64-app", AMD64, ARM64)));

        assertEquals(List.of("start linux/amd64"), runtime.calls("start"));
        assertEquals(List.of("run linux/amd64 2m", "run linux/arm64 6m"), runtime.calls("run"),
                "the checks still run on every platform");
        assertEquals(5, verified.checks().size());
    }

    @Test
    void theFirstFailingPlatformEndsTheRunAndIsNamed() throws IOException {
        descriptor("multi/broken-arm", "[linux/amd64, linux/arm64]", "");
        runtime.missing.add(ARM64_CHILD + " /etc/passwd");

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class,
                stage().verify(built("multi/broken-arm", AMD64, ARM64)));

        assertEquals(ARM64, failed.platform());
        assertEquals("policy-check-failed", failed.code());
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals("linux/arm64: policy check failed: file: /etc/passwd (missing)", failed.reason());
        assertEquals(Stage.TEST, failed.stage());
        assertEquals(List.of("start linux/amd64"), runtime.calls("start"), "amd64 was tested first, and passed");
        assertEquals(runtime.removed, runtime.pulled());
    }

    @Test
    void aPlatformTheEngineCannotRunIsPlatformUnsupported() throws IOException {
        descriptor("multi/no-qemu", "[linux/amd64, linux/arm64]", "");
        runtime.commandOutput = "exec /usr/bin/uname: exec format error";

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class,
                stage().verify(built("multi/no-qemu", AMD64, ARM64)));

        assertEquals("platform-unsupported", failed.code());
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals(ARM64, failed.platform());
        assertEquals("linux/arm64: the Docker engine cannot run linux/arm64 programs (the command uname -m: exec "
                + "format error)", failed.reason());
        assertTrue(failed.hint().contains("deploy/local/stack.sh up emulation"), failed.hint());
        assertTrue(failed.hint().contains("binfmt-qemu"), failed.hint());
    }

    @Test
    void anAppThatDoesNotAnswerUnderEmulationWaitedTheFactorTimesItsStartUpTimeout() throws IOException {
        descriptor("multi/slow", "[linux/amd64, linux/arm64]", "  startupTimeout: 1s\n");
        try (ServerSocket closed = new ServerSocket(0)) {
            runtime.armAppPort = closed.getLocalPort();
        }

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage().verify(built("multi/slow", AMD64, ARM64)));

        assertEquals("app-no-answer", failed.code());
        assertTrue(failed.reason().startsWith("linux/arm64: integration test (apps/web): nothing answered on port 8080 "
                + "within 3s under emulation"), failed.reason());
        assertTrue(failed.hint().contains("freshen.tester.emulation.timeout-factor"), failed.hint());
    }

    @Test
    void aSinglePlatformCandidateIsTestedAsBefore() throws IOException {
        descriptor("single/runtime", null, "");
        ImageBuilt built = built("single/runtime");

        ImageVerified verified = assertInstanceOf(ImageVerified.class, stage().verify(built));

        assertEquals(List.of("pull engine " + INDEX.shortHex()), runtime.calls("pull"));
        assertEquals(List.of("run engine 2m"), runtime.calls("run"));
        assertEquals(List.of("build native 15m engine-api FROM " + REPOSITORY + "@" + INDEX), runtime.calls("build"));
        assertEquals(List.of("start engine"), runtime.calls("start"));
        assertEquals("freshen-test/single-runtime:" + built.runId(), runtime.appTags.get(0), "the app's tag as before");
        ImageVerified before = new ImageVerified(built.runId(), built.imageId(), 1, verified.occurredAt(),
                built.trigger(), built.baseImages(), built.candidate(), List.of(
                new CheckResult("file: /etc/passwd", true, "exists"),
                new CheckResult("command: uname -m", true, "exit 0"),
                new CheckResult("integration-test: GET /", true, verified.checks().get(2).detail())),
                verified.timings());
        assertEquals(before, verified, "no platform, no manifests: the event as before");
        assertTrue(verified.checks().stream().allMatch(c -> c.platform() == null));
    }

    @Test
    void eachChildIsScannedAndGatedTheFirstPlatformsFindingsGoIntoTheEvent() throws IOException {
        descriptor("multi/scanned", "[linux/arm64, linux/amd64]", "scan: {failOn: CRITICAL}\n");
        FakeScans scans = new FakeScans(Map.of(ARM64_CHILD, "HIGH", AMD64_CHILD, "LOW"));

        ImageVerified verified = assertInstanceOf(ImageVerified.class,
                stage(scans).verify(built("multi/scanned", ARM64, AMD64)));

        assertEquals(List.of(ARM64_CHILD, AMD64_CHILD), scans.asked, "each child, in index order");
        assertEquals(Map.of("HIGH", 1), verified.scan().counts(), "the first platform's findings");
        assertEquals(built("x", ARM64, AMD64).manifests(), verified.manifests());
    }

    @Test
    void aChildFailingTheScanGateFailsTheRunNamingItsPlatform() throws IOException {
        descriptor("multi/critical-arm", "[linux/amd64, linux/arm64]", "scan: {failOn: CRITICAL}\n");

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class,
                stage(new FakeScans(Map.of(ARM64_CHILD, "CRITICAL", AMD64_CHILD, "LOW")))
                        .verify(built("multi/critical-arm", AMD64, ARM64)));

        assertEquals("scan-findings", failed.code());
        assertEquals(ARM64, failed.platform());
        assertTrue(failed.reason().startsWith("linux/arm64: "), failed.reason());
    }

    @Test
    void theEmulationFactorIsOneToTwenty() {
        RetryPolicy retries = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1));
        assertEquals(5, new TesterSettings(Duration.ofMinutes(1), Duration.ofMinutes(1), 1, retries)
                .emulationTimeoutFactor());
        new TesterSettings(Duration.ofMinutes(1), Duration.ofMinutes(1), 1, retries, 20);
        assertEquals("the emulation time-out factor must be between 1 and 20, was 0", assertThrows(
                IllegalArgumentException.class, () -> new TesterSettings(Duration.ofMinutes(1), Duration.ofMinutes(1),
                        1, retries, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TesterSettings(Duration.ofMinutes(1),
                Duration.ofMinutes(1), 1, retries, 21));
    }

    private VerificationStage stage() {
        return stage(ImageScans.NONE);
    }

    private VerificationStage stage(ImageScans scans) {
        PlatformImageCatalog catalog = PlatformImageCatalog.of(platformImages);
        return new VerificationStage(catalog::scan, runtime, new AppProbe(HttpClient.newHttpClient()), SETTINGS,
                new RunOutcomes(), Clock.systemUTC(), new ScanCheck(scans, new ScanCheck.Settings(Duration.ofMinutes(1),
                Duration.ofMinutes(1), Duration.ofSeconds(1), ScanCheck.OnTimeout.PROCEED, java.util.Optional.empty()),
                Clock.systemUTC(), d -> { }));
    }

    /** A registry that scans every image: one finding of the given severity per image digest, nothing published. */
    private static final class FakeScans implements ImageScans {

        final List<Digest> asked = new ArrayList<>();
        private final Map<Digest, String> severities;

        FakeScans(Map<Digest, String> severities) {
            this.severities = severities;
        }

        @Override
        public boolean scans(String registry) {
            return true;
        }

        @Override
        public ImageScan describe(ImageReference image) {
            asked.add(image.digest());
            String severity = severities.get(image.digest());
            return ImageScan.complete("COMPLETE", Map.of(severity, 1), Map.of("CVE-2026-0001", severity));
        }

        @Override
        public List<String> tags(String registry, String repository) {
            return List.of();
        }
    }

    /** A built candidate: the index of {@code platforms} in that order, or a single image without platforms. */
    private static ImageBuilt built(String imageId, Platform... platforms) {
        Instant now = Instant.now();
        ImageBuilt built = new ImageBuilt(SampleEvents.runId(), imageId, 1, now, Trigger.baseImageUpdated(),
                List.of(SampleEvents.BASE), ImageReference.parse(REPOSITORY + "@" + INDEX), List.of(),
                List.of(new StageTiming(Stage.BUILD, now.minusSeconds(30), now)));
        return built.withManifests(java.util.Arrays.stream(platforms)
                .map(p -> new PlatformDigest(p, p.equals(AMD64) ? AMD64_CHILD : ARM64_CHILD)).toList());
    }

    /** @param platforms the {@code platforms:} list, or null for none */
    private void descriptor(String imageId, String platforms, String moreIntegrationTest) throws IOException {
        write(imageId + "/Dockerfile", "FROM base/runtime:1\n");
        write(imageId + "/platform-image.yaml", "target: {repository: platform/" + imageId.replace('/', '-')
                + ", tagPrefix: '1'}\n" + (platforms == null ? "" : "platforms: " + platforms + "\n") + """
                checks:
                  files: [/etc/passwd]
                  commands: [[uname, -m]]
                integrationTest:
                  app: apps/web
                  replaceFrom: base/runtime:1
                  port: 8080
                  request: {method: GET, path: /}
                  expect: {status: 200, bodyContains: freshen}
                """ + moreIntegrationTest);
    }

    private void write(String relative, String content) throws IOException {
        Path file = platformImages.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** A Docker engine on amd64 that records what it is asked; the apps it "starts" are the test's HTTP server. */
    private static final class FakeRuntime implements CandidateRuntime {

        final List<String> calls = new ArrayList<>();
        final Set<String> missing = new HashSet<>();
        final Set<String> removed = new HashSet<>();
        final List<String> appTags = new ArrayList<>();
        String commandOutput = "";
        int appPort;
        /** Where an arm64 app answers (0: where the amd64 one does). */
        int armAppPort;

        List<String> calls(String kind) {
            return calls.stream().filter(c -> c.startsWith(kind + " ")).toList();
        }

        /** The images pulled and built. */
        Set<String> pulled() {
            Set<String> images = new HashSet<>(appTags);
            calls("pull").forEach(c -> images.add(REPOSITORY + "@" + (c.endsWith(AMD64_CHILD.shortHex()) ? AMD64_CHILD
                    : c.endsWith(ARM64_CHILD.shortHex()) ? ARM64_CHILD : INDEX)));
            return images;
        }

        @Override
        public Platform nativePlatform() {
            return AMD64;
        }

        @Override
        public void pull(ImageReference pinned, Platform platform) {
            calls.add("pull " + (platform == null ? "engine" : platform) + " " + pinned.digest().shortHex());
        }

        @Override
        public ImageFacts inspect(ImageReference pinned) {
            return new ImageFacts("1000", List.of(), Map.of());
        }

        @Override
        public boolean fileExists(ImageReference pinned, String path, String runId, Platform platform) {
            return !missing.contains(pinned.digest() + " " + path);
        }

        @Override
        public CommandResult run(ImageReference pinned, List<String> argv, Duration timeout, String runId,
                                 Platform platform) {
            calls.add("run " + (platform == null ? "engine" : platform) + " " + timeout.toMinutes() + "m");
            boolean foreign = platform != null && !platform.equals(AMD64);
            return foreign && !commandOutput.isEmpty() ? new CommandResult(255, commandOutput)
                    : new CommandResult(0, "x86_64");
        }

        @Override
        public Map<String, String> labels(String runId) {
            return Map.of("dev.freshen.run-id", runId);
        }

        @Override
        public String buildApp(BuildSpec spec, BuildLog log, boolean buildKit) {
            String from = spec.dockerfile().lines().findFirst().orElse("");
            calls.add("build " + (spec.platform() == null ? "native" : spec.platform()) + " "
                    + spec.timeout().toMinutes() + "m " + (buildKit ? "buildkit" : "engine-api") + " " + from);
            appTags.add(spec.tag());
            return "sha256:app";
        }

        @Override
        public RunningApp start(String image, int containerPort, String runId, Platform platform) {
            calls.add("start " + (platform == null ? "engine" : platform));
            return new RunningApp(image, ARM64.equals(platform) && armAppPort > 0 ? armAppPort : appPort);
        }

        @Override
        public AppState state(RunningApp app) {
            return AppState.isRunning();
        }

        @Override
        public AppPorts ports(RunningApp app) {
            return new AppPorts(java.util.Optional.empty(), List.of());
        }

        @Override
        public String logs(RunningApp app, int lines) {
            return "";
        }

        @Override
        public void cleanUp(RunningApp app, List<String> images) {
            removed.addAll(images);
        }

        @Override
        public int removeLeftovers() {
            return 0;
        }
    }
}
