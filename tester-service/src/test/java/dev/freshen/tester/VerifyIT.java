package dev.freshen.tester;

import dev.freshen.events.BaseImage;
import dev.freshen.events.CheckResult;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged tester as its own process, with the real Docker engine, registry and Kafka broker: policy checks
 * against the candidate, a real application built FROM the candidate digest and asked over HTTP on 127.0.0.1, and
 * nothing left behind.
 */
class VerifyIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String PLATFORM_FROM = "mycompany/platform:1.0";
    private static final String INSTANCE = "verify-it";

    private static LocalRegistry registry;
    private static EventTopics topics;
    private static ServiceProcess tester;
    private static ImageReference base;
    private static ImageReference nonRootCandidate;
    private static ImageReference rootCandidate;

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        DockerEngine.requireRunning();
        registry = LocalRegistry.shared();
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        base = FixtureImages.publishBase(registry.host(), "dotnet/runtime-test", "10.0");
        nonRootCandidate = candidate("FROM " + base + "\nLABEL dev.freshen.fixture=yes\nUSER 1654\n", "nonroot");
        rootCandidate = candidate("FROM " + base + "\n", "root");

        write(platformImages, "apps/static/Dockerfile", "FROM " + PLATFORM_FROM + "\nCOPY www /www\n"
                + "CMD [\"httpd\", \"-f\", \"-v\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
        write(platformImages, "apps/static/www/index.html", "hello from freshen\n");
        write(platformImages, "apps/warning/Dockerfile", "FROM " + PLATFORM_FROM + "\n"
                + "RUN echo \"Program.cs(3,5): warning CS0168: The variable 'x' is declared but never used\"\n"
                + "CMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/\"]\n");

        descriptor(platformImages, "fixture/good", """
                checks:
                  user: non-root
                  labels: [dev.freshen.fixture]
                  env: [APP_UID]
                  files: [/etc/passwd]
                  commands: [[sh, -c, "test -d /home/app"]]
                integrationTest:
                  app: apps/static
                  replaceFrom: %s
                  port: 8080
                  request: {method: GET, path: /index.html}
                  expect: {status: 200, bodyContains: freshen}
                """.formatted(PLATFORM_FROM));
        descriptor(platformImages, "fixture/warning-app", integrationTest("apps/warning", "/", "30s"));
        descriptor(platformImages, "fixture/root-policy", "checks: {user: non-root}\n");

        tester = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.tester.docker-cli", DockerEngine.CLI,
                "freshen.tester.instance-id", INSTANCE,
                "freshen.tester.max-attempts", "1"), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (tester != null) {
            tester.close();
        }
        topics.close();
    }

    @AfterEach
    void nothingLeftBehind() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals("", DockerEngine.docker("ps", "-aq", "--filter", "label=dev.freshen.role=freshen-tester"));
            assertEquals("", DockerEngine.docker("images", "-q", "--filter", "reference=freshen-test/*"));
            assertEquals("", DockerEngine.docker("images", "-q", "--filter", "reference=" + registry.host() + "/platform/*"));
        });
    }

    @Test
    void aGoodCandidatePassesItsChecksAndItsApplication() {
        ImageBuilt built = built("fixture/good", nonRootCandidate);
        topics.send(built);
        ImageVerified verified = topics.awaitEvent(ImageVerified.class, e -> e.runId().equals(built.runId()), TIMEOUT);
        assertEquals(built.candidate(), verified.candidate(), "the digest that was tested");
        assertEquals(List.of("user: non-root", "label: dev.freshen.fixture", "env: APP_UID", "file: /etc/passwd",
                "command: sh -c test -d /home/app", "integration-test: GET /index.html"),
                verified.checks().stream().map(CheckResult::name).toList());
        assertTrue(verified.checks().get(5).detail().startsWith("answered 200 after"), verified.checks().get(5).detail());
        assertEquals(List.of(Stage.BUILD, Stage.TEST), verified.timings().stream().map(t -> t.stage()).toList());
    }

    @Test
    void aRedeliveredRequestIsAnsweredAgainWithoutTestingAgainAlsoAfterARestart() {
        ImageBuilt built = built("fixture/good", nonRootCandidate);
        topics.send(built);
        topics.send(built);
        List<ImageVerified> verified = verifiedOf(built, 2);
        assertEquals(verified.get(0), verified.get(1), "the same outcome, not a second test");
        String alreadyTested = "Run " + built.runId() + " (fixture/good): " + nonRootCandidate.digest().shortHex()
                + " already tested";
        assertTrue(tester.logText().contains(alreadyTested));

        // a restarted tester knows the outcome from the output topic, not from memory
        tester.restart(Duration.ofSeconds(90));
        int before = tester.logText().split(java.util.regex.Pattern.quote(alreadyTested), -1).length;
        topics.send(built);
        List<ImageVerified> again = verifiedOf(built, 3);
        assertEquals(verified.get(0), again.get(2), "the outcome stated before the restart");
        assertEquals(before + 1, tester.logText().split(java.util.regex.Pattern.quote(alreadyTested), -1).length,
                "answered from the topic, not tested again");
    }

    private static List<ImageVerified> verifiedOf(ImageBuilt built, int count) {
        List<ImageVerified> verified = new java.util.ArrayList<>();
        topics.awaitRecords(dev.freshen.events.Topics.IMAGE_VERIFIED, r -> {
            ImageVerified event = dev.freshen.events.EventJson.read(r.value(), ImageVerified.class);
            return event.runId().equals(built.runId()) && verified.add(event);
        }, count, TIMEOUT);
        return verified;
    }

    @Test
    void aRestartedTesterRemovesWhatItLeftAndNothingOfOtherTesters() {
        String mine = leftover(INSTANCE);
        String theirs = leftover("another-tester:8083");
        try {
            tester.restart(Duration.ofSeconds(90));
            assertEquals("", DockerEngine.docker("ps", "-aq", "--filter", "id=" + mine), "its own leftover is removed");
            assertTrue(!DockerEngine.docker("ps", "-aq", "--filter", "id=" + theirs).isBlank(),
                    "another tester's container is left alone");
        } finally {
            DockerEngine.docker("rm", "-f", theirs);
        }
    }

    /** A container as a crashed test of tester {@code instance} would leave it. */
    private static String leftover(String instance) {
        return DockerEngine.docker("create", "--label", "dev.freshen.role=freshen-tester", "--label",
                "dev.freshen.tester-instance=" + instance, "--label", "dev.freshen.run-id=leftover",
                base.toString(), "true").strip();
    }

    // The test app's mistakes (it exits, listens elsewhere, answers wrongly, does not build...): MistakesIT.

    @Test
    void aBuildWarningOfTheApplicationFailsTheRun() {
        PipelineFailed failed = failure("fixture/warning-app", nonRootCandidate);
        assertTrue(failed.reason().startsWith("integration test (apps/warning): the app's image build printed 1 warning "
                + "(allowBuildWarnings is false): "), failed.reason());
        assertTrue(failed.reason().contains("warning CS0168"), failed.reason());
        assertEquals("app-build-warnings", failed.code());
    }

    @Test
    void aRootImageUnderANonRootPolicyFailsNamingTheCheck() {
        PipelineFailed failed = failure("fixture/root-policy", rootCandidate);
        assertEquals("policy check failed: user: non-root (no USER set: the image runs as root)", failed.reason());
        assertEquals("policy-check-failed", failed.code());
        assertTrue(failed.hint().startsWith("Fix the platform image's Dockerfile"), failed.hint());
    }

    private static PipelineFailed failure(String imageId, ImageReference candidate) {
        ImageBuilt built = built(imageId, candidate);
        topics.send(built);
        PipelineFailed failed = topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(built.runId()), TIMEOUT);
        assertEquals(Stage.TEST, failed.stage());
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals(candidate, failed.candidate(), "names its candidate, for the publisher to delete from staging");
        return failed;
    }

    private static ImageBuilt built(String imageId, ImageReference candidate) {
        Instant now = Instant.now();
        return new ImageBuilt(SampleEvents.runId(), imageId, 1, now, Trigger.baseImageUpdated(),
                List.of(new BaseImage(base.withDigest(null), base.digest(), null)), candidate, List.of(),
                List.of(new dev.freshen.events.StageTiming(Stage.BUILD, now.minusSeconds(10), now)));
    }

    /** Builds and pushes a candidate as the builder would, returns it by digest. */
    private static ImageReference candidate(String dockerfile, String name) throws IOException {
        Path context = Files.createTempDirectory("freshen-candidate-");
        write(context, "Dockerfile", dockerfile);
        String tag = registry.host() + "/platform/" + name + ":candidate";
        DockerEngine.docker("build", "-q", "-t", tag, context.toString());
        DockerEngine.docker("push", "-q", tag);
        DockerEngine.docker("rmi", tag);
        var digest = new RegistryClient(RegistrySettings.defaults()).manifestDigest(ImageReference.parse(tag)).orElseThrow();
        return ImageReference.parse(registry.host() + "/platform/" + name + "@" + digest);
    }

    private static String integrationTest(String app, String path, String startupTimeout) {
        return """
                integrationTest:
                  app: %s
                  replaceFrom: %s
                  port: 8080
                  request: {path: %s}
                  startupTimeout: %s
                """.formatted(app, PLATFORM_FROM, path, startupTimeout);
    }

    private static void descriptor(Path root, String id, String rest) throws IOException {
        write(root, id + "/Dockerfile", "FROM " + base.withDigest(null) + "\n");
        write(root, id + "/platform-image.yaml", "target: {repository: platform/" + id.replace('/', '-') + ", tagPrefix: '1'}\n" + rest);
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
