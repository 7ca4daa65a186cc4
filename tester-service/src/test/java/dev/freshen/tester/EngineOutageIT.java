package dev.freshen.tester;

import dev.freshen.events.BaseImage;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
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
import dev.freshen.testing.UnixSocketForwarder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
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
 * The packaged tester loses its Docker engine, really: it reaches the engine through a forwarder from a TCP port to
 * {@code /var/run/docker.sock} ({@code DOCKER_HOST=tcp://127.0.0.1:<port>}), which the test closes and opens again,
 * so the engine goes away for this tester alone. While it is away the tester is not ready (saying which engine and
 * why) and takes no new candidate: the candidate waits, untouched, no retry spent, and is tested once the engine
 * answers again.
 */
class EngineOutageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static UnixSocketForwarder engine;
    private static EventTopics topics;
    private static ServiceProcess tester;
    private static ImageReference base;
    private static ImageReference candidate;

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        DockerEngine.requireRunning();
        LocalRegistry registry = LocalRegistry.shared();
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        base = FixtureImages.publishBase(registry.host(), "dotnet/runtime-outage", "10.0");
        Path context = Files.createTempDirectory("freshen-candidate-");
        Files.writeString(context.resolve("Dockerfile"), "FROM " + base + "\n");
        String tag = registry.host() + "/platform/outage:candidate";
        DockerEngine.docker("build", "-q", "-t", tag, context.toString());
        DockerEngine.docker("push", "-q", tag);
        DockerEngine.docker("rmi", tag);
        candidate = ImageReference.parse(registry.host() + "/platform/outage@"
                + new RegistryClient(RegistrySettings.defaults()).manifestDigest(ImageReference.parse(tag)).orElseThrow());

        write(platformImages, "apps/static/Dockerfile", "FROM mycompany/platform:1.0\nCOPY www /www\n"
                + "CMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
        write(platformImages, "apps/static/www/index.html", "hello from freshen\n");
        write(platformImages, "outage/app/Dockerfile", "FROM " + base.withDigest(null) + "\n");
        write(platformImages, "outage/app/platform-image.yaml", """
                target: {repository: platform/outage, tagPrefix: '1'}
                integrationTest:
                  app: apps/static
                  replaceFrom: mycompany/platform:1.0
                  port: 8080
                  expect: {status: 200, bodyContains: freshen}
                """);
        engine = UnixSocketForwarder.to(Path.of("/var/run/docker.sock"));
        tester = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "DOCKER_HOST", engine.dockerHost(),
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.tester.docker-cli", DockerEngine.CLI,
                "freshen.tester.instance-id", "engine-outage-it"), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (tester != null) {
            tester.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    @Test
    void withoutItsEngineTheTesterIsNotReadyAndLetsNewCandidatesWaitUntilTheEngineIsBack() {
        assertEquals(200, tester.readiness().statusCode());

        engine.stop();
        String down = "Docker engine at " + engine.dockerHost() + " not reachable: connection refused";
        await("readiness down").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> ready = tester.readiness();
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains(down), ready.body());
        });
        assertTrue(tester.logText().contains(down + ": new candidates on freshen.image-built wait until it answers"
                + " (checked every 5s)"), tester.logText());

        Instant now = Instant.now();
        ImageBuilt built = new ImageBuilt(SampleEvents.runId(), "outage/app", 1, now, Trigger.baseImageUpdated(),
                List.of(new BaseImage(base.withDigest(null), base.digest(), null)), candidate, List.of(),
                List.of(new StageTiming(Stage.BUILD, now.minusSeconds(10), now)));
        topics.send(built);
        await("the candidate waits").during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
                .until(() -> !tester.logText().contains(built.runId()));
        assertEquals(1, tester.logCount(down + ": new candidates"), "said once, not at every check");

        engine.start();
        ImageVerified verified = topics.awaitEvent(ImageVerified.class, e -> e.runId().equals(built.runId()), TIMEOUT);
        assertEquals(candidate, verified.candidate());
        assertEquals(200, tester.readiness().statusCode());
        assertTrue(tester.logText().contains("Docker engine at " + engine.dockerHost()
                + " answers again: taking new candidates again"), tester.logText());
        // nothing of the run happened while the engine was away (after it, the first request may meet a connection the
        // engine dropped, which docker-java does not check before use: that one is retried as any engine trouble)
        String log = tester.logText();
        assertTrue(log.indexOf(built.runId()) > log.indexOf("answers again"), log);
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
