package dev.freshen.watcher;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.EventJson;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.RollbackRequested;
import dev.freshen.events.Topics;
import dev.freshen.events.image.Digest;
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
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packaged watcher's rollback API against the real Kafka broker and a real registry holding two published versions
 * built from one upstream base: the request resolved and handed to the publisher, status showing the rollback (also
 * after a restart) until a publish, and detection: a rollback starts no run, an upstream change afterwards does. The
 * publisher's side (moving the tags, {@code ImageRolledBack}) is played here: its own tests prove it.
 */
class RollbackApiIT {

    private static final String API_KEY = "rollback-api-key-0123456789";
    private static final String IMAGE = "fixture/rollback";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static LocalRegistry registry;
    private static RegistryClient client;
    private static EventTopics topics;
    private static ServiceProcess watcher;
    private static String upstreamRepository;
    private static String targetRepository;
    private static ImageReference base;

    @BeforeAll
    static void start(@org.junit.jupiter.api.io.TempDir Path platformImages) throws IOException {
        DockerEngine.requireRunning();
        registry = LocalRegistry.shared();
        client = new RegistryClient(RegistrySettings.defaults());
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        String unique = Long.toString(System.nanoTime(), 36);
        upstreamRepository = "dotnet/runtime-rb-" + unique;
        targetRepository = "platform/rollback-" + unique;
        Path folder = Files.createDirectories(platformImages.resolve(IMAGE));
        Files.writeString(folder.resolve("Dockerfile"), "FROM " + registry.host() + "/" + upstreamRepository + ":10.0\n");
        Files.writeString(folder.resolve("platform-image.yaml"), """
                target:
                  repository: %s
                  tagPrefix: "10.0"
                  extraTags: ["10.0-latest", latest, "run-{runId}"]
                """.formatted(targetRepository));
        base = FixtureImages.publishBase(registry.host(), upstreamRepository, "10.0");
        publishBuiltFrom(base, "10.0-1.0.0", "one");
        publishBuiltFrom(base, "10.0-1.1.0", "two");
        for (String moving : List.of("10.0-latest", "latest")) {
            putTag(moving, digestOf("10.0-1.1.0"));
        }
        watcher = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.target-registry", registry.host(),
                "freshen.watcher.api-key", API_KEY,
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
    void aRollbackIsResolvedShownAcrossARestartStartsNoRunAndTheNextUpstreamChangeDoes() {
        api().post("/api/v1/images/" + IMAGE + "/check").then().statusCode(200).body("result", equalTo("UP_TO_DATE"));

        // refused before anything is sent
        api().contentType(ContentType.JSON).body("{\"to\": \"1.1.0\"}").post(rollback()).then().statusCode(409)
                .body("code", equalTo("rollback-already-there"));
        api().contentType(ContentType.JSON).body("{\"to\": \"1.7.0\"}").post(rollback()).then().statusCode(409)
                .body("code", equalTo("rollback-version-missing")).body("hint", equalTo("published: 10.0-1.1.0, 10.0-1.0.0"));
        api().contentType(ContentType.JSON).body("{\"to\": \"latest\"}").post(rollback()).then().statusCode(400)
                .body("code", equalTo("rollback-version-invalid"));
        api().contentType(ContentType.JSON).body("{\"too\": \"1.0.0\"}").post(rollback()).then().statusCode(400)
                .body("detail", equalTo("the body has an unknown field 'too'"));
        given().baseUri(watcher.baseUri().toString()).post(rollback()).then().statusCode(401);
        api().post("/api/v1/images/fixture/nope/rollback").then().statusCode(404);

        // the default: the version below the one the moving tags name; who asked is the key's name
        String rollbackId = api().contentType(ContentType.JSON).body("{\"reason\": \"1.1.0 breaks TLS\"}").post(rollback())
                .then().statusCode(202).body("fromVersion", equalTo("10.0-1.1.0")).body("toVersion", equalTo("10.0-1.0.0"))
                .body("imageId", equalTo(IMAGE)).extract().path("rollbackId");
        RollbackRequested request = topics.awaitEvent(RollbackRequested.class, e -> e.runId().equals(rollbackId), TIMEOUT);
        assertEquals("api:default", request.requestedBy());
        assertEquals("1.1.0 breaks TLS", request.reason());
        assertEquals("10.0-1.0.0", request.toVersion());

        // the publisher's answer, played: the moving tags name 1.0.0 now
        Digest one = digestOf("10.0-1.0.0");
        for (String moving : List.of("10.0-latest", "latest")) {
            putTag(moving, one);
        }
        ImageReference to = ImageReference.parse(registry.host() + "/" + targetRepository + ":10.0-1.0.0@" + one);
        ImageReference from = ImageReference.parse(registry.host() + "/" + targetRepository + ":10.0-1.1.0@"
                + digestOf("10.0-1.1.0"));
        Instant rolledBackAt = Instant.now();
        topics.send(new ImageRolledBack(rollbackId, IMAGE, 1, rolledBackAt, from, to, List.of("10.0-latest", "latest"),
                "10.0-1.1.0", request.reason(), request.requestedBy()));
        await().atMost(TIMEOUT).untilAsserted(() -> api().get("/api/v1/images/" + IMAGE).then().statusCode(200)
                .body("rolledBack.summary", equalTo("rolled back to 10.0-1.0.0 by api:default: 1.1.0 breaks TLS"))
                .body("rolledBack.image", equalTo(to.toString())).body("rolledBack.fromVersion", equalTo("10.0-1.1.0"))
                .body("rolledBack.rollbackId", equalTo(rollbackId)));

        // the watcher compares upstream with the highest version (1.1.0), which a rollback does not change: no run
        api().post("/api/v1/images/" + IMAGE + "/check").then().statusCode(200).body("result", equalTo("UP_TO_DATE"))
                .body("builtFrom.versionTag", equalTo("10.0-1.1.0"));
        assertEquals(0, baseUpdates().size(), "a rollback starts no run");

        // the state is rebuilt from Kafka at start-up
        watcher.restart(TIMEOUT);
        api().get("/api/v1/images/" + IMAGE).then().statusCode(200)
                .body("rolledBack.summary", equalTo("rolled back to 10.0-1.0.0 by api:default: 1.1.0 breaks TLS"));
        api().post("/api/v1/images/" + IMAGE + "/check").then().statusCode(200).body("result", equalTo("UP_TO_DATE"));

        // the next upstream change starts a run, and its publish ends the rollback
        ImageReference updated = FixtureImages.publishBase(registry.host(), upstreamRepository, "10.0");
        api().post("/api/v1/images/" + IMAGE + "/check").then().statusCode(200).body("result", equalTo("RUN_STARTED"));
        BaseImageUpdated run = topics.awaitEvent(BaseImageUpdated.class, e -> e.imageId().equals(IMAGE)
                && e.baseImages().get(0).digest().equals(updated.digest()), TIMEOUT);
        assertEquals(base.digest(), run.baseImages().get(0).previousDigest());
        ImagePublished sample = SampleEvents.imagePublished();
        topics.send(new ImagePublished(run.runId(), IMAGE, 1, Instant.now(), run.trigger(), run.baseImages(),
                ImageReference.parse(registry.host() + "/" + targetRepository + ":10.0-1.2.0@" + one), "1.2.0",
                List.of("10.0-1.2.0", "10.0-latest", "latest"), sample.timings()));
        await().atMost(TIMEOUT).untilAsserted(() -> api().get("/api/v1/images/" + IMAGE).then().statusCode(200)
                .body("rolledBack", nullValue()).body("lastPublished.versionTag", containsString("10.0-1.")));
    }

    private static String rollback() {
        return "/api/v1/images/" + IMAGE + "/rollback";
    }

    private static List<BaseImageUpdated> baseUpdates() {
        return topics.readAll(Topics.BASE_IMAGE_UPDATED).stream().map(r -> EventJson.read(r.value(), BaseImageUpdated.class))
                .filter(e -> e.imageId().equals(IMAGE)).toList();
    }

    private static Digest digestOf(String tag) {
        return client.manifestDigest(ImageReference.parse(registry.host() + "/" + targetRepository + ":" + tag)).orElseThrow();
    }

    private static void putTag(String tag, Digest digest) {
        var manifest = client.manifest(ImageReference.parse(registry.host() + "/" + targetRepository + "@" + digest))
                .orElseThrow();
        client.putManifest(registry.host(), targetRepository, tag, manifest);
    }

    /** What the builder and publisher would have pushed: FROM the pinned base, labelled with it, under a version tag. */
    private static void publishBuiltFrom(ImageReference pinnedBase, String versionTag, String marker) {
        String target = registry.host() + "/" + targetRepository + ":" + versionTag;
        try {
            Path context = Files.createTempDirectory("freshen-rollback-");
            Files.writeString(context.resolve("Dockerfile"), "FROM " + pinnedBase + "\nLABEL " + ImageLabels.BASE_IMAGES
                    + "=\"" + pinnedBase + "\" dev.freshen.test.marker=\"" + marker + "\"\n");
            DockerEngine.docker("build", "-q", "-t", target, context.toString());
            DockerEngine.docker("push", "-q", target);
            DockerEngine.docker("rmi", target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RequestSpecification api() {
        return given().baseUri(watcher.baseUri().toString()).header("Authorization", "Bearer " + API_KEY);
    }
}
