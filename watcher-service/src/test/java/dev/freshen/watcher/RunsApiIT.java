package dev.freshen.watcher;

import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.ServiceProcess;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code GET /api/v1/runs/{id}} of the packaged watcher, as its own process, fed by the real Kafka broker: a run's
 * stages as the other services emit them, the published reference, the failure, unknown runs. Needs no Docker: the
 * test plays the builder, tester and publisher by writing their events.
 */
class RunsApiIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String IMAGE = "fixture/runs-api";

    private static EventTopics topics;
    private static ServiceProcess watcher;

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        Path folder = Files.createDirectories(platformImages.resolve(IMAGE));
        Files.writeString(folder.resolve("Dockerfile"), "FROM scratch\nCOPY hello /\n");
        Files.writeString(folder.resolve("platform-image.yaml"), "target: {repository: platform/runs-api, tagPrefix: \"1.0\"}\n");
        watcher = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.target-registry", "127.0.0.1:1",
                "freshen.watcher.api-key", "test-api-key-0123456789",
                "freshen.watcher.check-on-start", "false"), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (watcher != null) {
            watcher.close();
        }
        topics.close();
    }

    @Test
    void aPublishedRunIsServedStageByStage() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String runId = "f-" + Long.toString(System.nanoTime(), 36);
        ForceUpdateRequested forced = new ForceUpdateRequested(runId, IMAGE, 1, t0, "CVE fix", "cli:alice");
        ImageBuilt built = RunLedgerTest.built(runId, t0.plusSeconds(40));
        built = new ImageBuilt(runId, IMAGE, 1, built.occurredAt(), forced.trigger(), built.baseImages(), built.candidate(),
                built.warnings(), built.timings());
        ImageVerified verified = RunLedgerTest.verified(built, t0.plusSeconds(70));
        ImagePublished sample = RunLedgerTest.published(runId, IMAGE, t0.plusSeconds(75));
        ImagePublished published = new ImagePublished(runId, IMAGE, 1, sample.occurredAt(), forced.trigger(),
                sample.baseImages(), sample.image(), sample.version(), sample.tags(), sample.timings());

        topics.send(forced);
        await().atMost(TIMEOUT).until(() -> api().get("/api/v1/runs/" + runId).statusCode() == 200);
        api().get("/api/v1/runs/" + runId).then().statusCode(200)
                .body("state", equalTo("IN_FLIGHT"))
                .body("endedAt", nullValue())
                .body("stages.event", equalTo(List.of("FORCE_UPDATE_REQUESTED")));

        topics.send(built);
        topics.send(verified);
        topics.send(published);
        await().atMost(TIMEOUT).until(() -> "PUBLISHED".equals(api().get("/api/v1/runs/" + runId).path("state")));
        api().get("/api/v1/runs/" + runId).then().statusCode(200)
                .body("runId", equalTo(runId))
                .body("imageId", equalTo(IMAGE))
                .body("trigger.kind", equalTo("forced"))
                .body("trigger.reason", equalTo("CVE fix"))
                .body("trigger.requestedBy", equalTo("cli:alice"))
                .body("startedAt", equalTo(t0.toString()))
                .body("endedAt", equalTo(published.occurredAt().toString()))
                .body("published.image", equalTo(published.image().toString()))
                .body("published.version", equalTo("1.0.0"))
                .body("failure", nullValue())
                .body("stages.event", equalTo(List.of("FORCE_UPDATE_REQUESTED", "IMAGE_BUILT", "IMAGE_VERIFIED",
                        "IMAGE_PUBLISHED")))
                .body("stages.stage", equalTo(List.of("detect", "build", "test", "publish")))
                .body("stages[1].at", equalTo(built.occurredAt().toString()))
                .body("stages[1].candidate", equalTo(built.candidate().toString()))
                .body("stages[1].warnings", equalTo(1))
                .body("stages[2].checks", equalTo(1))
                .body("stages[3].tags", equalTo(List.of("10.0-1.0.0", "latest")))
                .body("stages[1]", not(org.hamcrest.Matchers.hasKey("reason")));

        api().get("/api/v1/runs?image=" + IMAGE).then().statusCode(200)
                .body("runs.runId", hasItem(runId));
        api().get("/api/v1/images/" + IMAGE).then().statusCode(200)
                .body("lastRun.runId", equalTo(runId))
                .body("lastRun.state", equalTo("PUBLISHED"))
                .body("lastRun.detail", equalTo("10.0-1.0.0"));
    }

    @Test
    void aFailedRunNamesStageKindAndReason() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String runId = "f-" + Long.toString(System.nanoTime(), 36);
        topics.send(new ForceUpdateRequested(runId, IMAGE, 1, t0, null, "api:default"));
        PipelineFailed failed = RunLedgerTest.failed(runId, Stage.BUILD, t0.plusSeconds(3));
        topics.send(new PipelineFailed(runId, IMAGE, 1, failed.occurredAt(), failed.stage(), failed.kind(),
                "step 2/3 RUN apk add: exit code 1", failed.logExcerpt(), failed.trigger()));

        await().atMost(TIMEOUT).until(() -> "FAILED".equals(api().get("/api/v1/runs/" + runId).path("state")));
        api().get("/api/v1/runs/" + runId).then().statusCode(200)
                .body("failure.stage", equalTo("build"))
                .body("failure.kind", equalTo("permanent"))
                .body("failure.reason", equalTo("step 2/3 RUN apk add: exit code 1"))
                .body("published", nullValue())
                .body("stages[1].event", equalTo("PIPELINE_FAILED"))
                .body("stages[1].kind", equalTo("permanent"))
                .body(not(containsString("a long log excerpt")));
    }

    @Test
    void unknownAndMalformedRunIdsAreClearErrors() {
        api().get("/api/v1/runs/f-000000000000000000000000").then().statusCode(404)
                .body("detail", containsString("unknown run 'f-000000000000000000000000'"));
        api().get("/api/v1/runs/not%20a%20run").then().statusCode(400)
                .body("detail", containsString("is not a run id"));
        api().urlEncodingEnabled(false).get("/api/v1/runs/%2E%2E").then().statusCode(400);
        api().get("/api/v1/runs?limit=0").then().statusCode(400).body("detail", containsString("limit"));
        given().baseUri(watcher.baseUri().toString()).get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/runs/{id}"));
    }

    private static RequestSpecification api() {
        return given().baseUri(watcher.baseUri().toString());
    }
}
