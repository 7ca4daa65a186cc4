package dev.freshen.builder;

import dev.freshen.events.BaseImage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.image.ImageReference;
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
 * The packaged builder loses its Docker engine, really: it reaches the engine through a forwarder from a TCP port to
 * {@code /var/run/docker.sock} ({@code DOCKER_HOST=tcp://127.0.0.1:<port>}), which the test closes and opens again,
 * so the engine goes away for this builder alone. While it is away the builder is not ready (saying which engine and
 * why) and takes no new request: the request waits, no retry spent, and is built once the engine answers again.
 */
class EngineOutageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static UnixSocketForwarder engine;
    private static EventTopics topics;
    private static ServiceProcess builder;
    private static ImageReference base;

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        DockerEngine.requireRunning();
        LocalRegistry registry = LocalRegistry.shared();
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        base = FixtureImages.publishBase(registry.host(), "dotnet/runtime-outage", "10.0");
        write(platformImages, "outage/classic/Dockerfile", "FROM " + base.withDigest(null) + "\nUSER 1654\n");
        write(platformImages, "outage/classic/platform-image.yaml", "target: {repository: platform/outage-classic, "
                + "tagPrefix: '10.0'}\n");
        engine = UnixSocketForwarder.to(Path.of("/var/run/docker.sock"));
        builder = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "DOCKER_HOST", engine.dockerHost(),
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.target-registry", registry.host(),
                "freshen.builder.docker-cli", DockerEngine.CLI), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (builder != null) {
            builder.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    @Test
    void withoutItsEngineTheBuilderIsNotReadyAndLetsNewRequestsWaitUntilTheEngineIsBack() {
        assertEquals(200, builder.readiness().statusCode());

        engine.stop();
        String down = "Docker engine at " + engine.dockerHost() + " not reachable: connection refused";
        await("readiness down").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> ready = builder.readiness();
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains(down), ready.body());
        });
        assertTrue(builder.logText().contains(down + ": new build requests on freshen.base-image-updated, "
                + "freshen.force-update wait until it answers (checked every 5s)"), builder.logText());

        BaseImageUpdated request = new BaseImageUpdated(SampleEvents.runId(), "outage/classic", 1, Instant.now(),
                List.of(new BaseImage(base.withDigest(null), base.digest(), null)), "sha256:outage");
        topics.send(request);
        await("the request waits").during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
                .until(() -> !builder.logText().contains(request.runId()));
        assertEquals(1, builder.logCount(down + ": new build requests"), "said once, not at every check");

        engine.start();
        ImageBuilt built = topics.awaitEvent(ImageBuilt.class, e -> e.runId().equals(request.runId()), TIMEOUT);
        assertTrue(built.candidate().isPinned());
        assertEquals(200, builder.readiness().statusCode());
        assertTrue(builder.logText().contains("Docker engine at " + engine.dockerHost()
                + " answers again: taking new build requests again"), builder.logText());
        // nothing of the run happened while the engine was away (after it, the first request may meet a connection the
        // engine dropped, which docker-java does not check before use: that one is retried as any engine trouble)
        String log = builder.logText();
        assertTrue(log.indexOf(request.runId()) > log.indexOf("answers again"), log);
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
