package dev.freshen.watcher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.definition.Definition;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.EventJson;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.Topics;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The packaged watcher as its own process against the real registry (as upstream and as target) and the real Kafka
 * broker: digest-based detection, no duplicate runs across polls and restarts, the API, and descriptor errors.
 */
class WatcherDetectionIT {

    private static final String API_KEY = "test-api-key-0123456789";
    private static final String IMAGE = "fixture/runtime";
    /** Images whose definition changes: rebuilt on change, and released by hand ({@code rebuildOnChange: false}). */
    private static final String DRIFT = "drift/app";
    private static final String MANUAL = "drift/manual";
    private static final String NEVER = "0 0 0 1 1 ? 2099";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static LocalRegistry registry;
    private static EventTopics topics;
    private static ServiceProcess watcher;
    private static String upstreamRepository;
    private static String targetRepository;
    private static ImageReference v1;
    private static ImageReference driftBase;
    private static String driftUnique;
    private static Path platformImagesDir;

    @BeforeAll
    static void start(@org.junit.jupiter.api.io.TempDir Path platformImages) throws IOException {
        DockerEngine.requireRunning();
        platformImagesDir = platformImages;
        registry = LocalRegistry.shared();
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        String unique = Long.toString(System.nanoTime(), 36);
        upstreamRepository = "dotnet/runtime-" + unique;
        targetRepository = "platform/fixture-runtime-" + unique;

        write(platformImages, IMAGE + "/Dockerfile", "FROM " + registry.host() + "/" + upstreamRepository + ":10.0\nUSER 1654\n");
        write(platformImages, IMAGE + "/platform-image.yaml", """
                schedule: "*/1 * * * * ?"
                target:
                  repository: %s
                  tagPrefix: "10.0"
                  extraTags: [latest]
                """.formatted(targetRepository));
        write(platformImages, "broken/yaml/platform-image.yaml", "target: 'unclosed\n");
        write(platformImages, "broken/yaml/Dockerfile", "FROM debian\n");
        write(platformImages, "broken/cron/platform-image.yaml", "schedule: hourly\ntarget: {repository: a, tagPrefix: b}\n");
        write(platformImages, "broken/cron/Dockerfile", "FROM debian\n");
        write(platformImages, "broken/escape/platform-image.yaml", "target: {repository: a, tagPrefix: b}\nbuild: {dockerfile: ../../../../etc/passwd}\n");

        v1 = FixtureImages.publishBase(registry.host(), upstreamRepository, "10.0");
        driftUnique = unique;
        driftBase = FixtureImages.publishBase(registry.host(), "dotnet/drift-" + unique, "10.0");
        for (String id : List.of(DRIFT, MANUAL)) {
            write(platformImages, id + "/Dockerfile", "FROM " + driftBase.withDigest(null) + "\nCOPY app/ /app/\n");
            write(platformImages, id + "/app/run.sh", "echo run\n");
            write(platformImages, id + "/platform-image.yaml", driftDescriptor(id, NEVER));
        }
        watcher = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.target-registry", registry.host(),
                "freshen.watcher.api-key", API_KEY,
                "freshen.watcher.rescan-interval", "2s"), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (watcher != null) {
            watcher.close();
        }
        topics.close();
    }

    @Test
    void detectsByDigestAndNeverStartsTheSameRunTwice() {
        // 1. never published: the on-start check (or the every-second schedule) starts a run for base v1
        BaseImageUpdated first = topics.awaitEvent(BaseImageUpdated.class,
                e -> e.imageId().equals(IMAGE) && e.baseImages().get(0).digest().equals(v1.digest()), TIMEOUT);
        assertNull(first.baseImages().get(0).previousDigest(), "never published: no previous digest");

        // 2. a published version labelled with base v1: up to date, no event
        publishTargetBuiltFrom(v1, "10.0-1.0.0");
        api().post("/api/v1/images/" + IMAGE + "/check").then().statusCode(200).body("result", equalTo("UP_TO_DATE"))
                .body("builtFrom.versionTag", equalTo("10.0-1.0.0"))
                .body("definition.state", equalTo("unknown")).body("definition.published", equalTo(null));

        // 3. the vendor updates the base: exactly one run, whatever the number of polls
        ImageReference v2 = FixtureImages.publishBase(registry.host(), upstreamRepository, "10.0");
        BaseImageUpdated update = topics.awaitEvent(BaseImageUpdated.class,
                e -> e.imageId().equals(IMAGE) && e.baseImages().get(0).digest().equals(v2.digest()), TIMEOUT);
        assertEquals(v1.digest(), update.baseImages().get(0).previousDigest());
        for (int poll = 0; poll < 5; poll++) {
            api().post("/api/v1/images/" + IMAGE + "/check").then().statusCode(200)
                    .body("result", equalTo("RUN_EXISTS")).body("runId", equalTo(update.runId()));
        }

        // 4. a restarted watcher rebuilds its ledger from Kafka and still does not start it again
        watcher.restart(TIMEOUT);
        Instant restarted = Instant.now();
        api().post("/api/v1/images/" + IMAGE + "/check").then().statusCode(200).body("result", equalTo("RUN_EXISTS"));
        await().atMost(TIMEOUT).until(() -> Instant.parse(api().get("/api/v1/images/" + IMAGE)
                .then().extract().path("lastCheck.checkedAt")).isAfter(restarted.plusSeconds(2)));

        List<BaseImageUpdated> forV2 = topics.readAll(Topics.BASE_IMAGE_UPDATED).stream()
                .map(r -> EventJson.read(r.value(), BaseImageUpdated.class))
                .filter(e -> e.imageId().equals(IMAGE) && e.baseImages().get(0).digest().equals(v2.digest())).toList();
        assertEquals(1, forV2.size(), "one BaseImageUpdated for base v2 across polls and a restart");
        long forV1 = topics.readAll(Topics.BASE_IMAGE_UPDATED).stream()
                .map(r -> EventJson.read(r.value(), BaseImageUpdated.class))
                .filter(e -> e.imageId().equals(IMAGE) && e.baseImages().get(0).digest().equals(v1.digest())).count();
        assertEquals(1, forV1, "one BaseImageUpdated for base v1 although the schedule polled every second");
        api().get("/api/v1/images/" + IMAGE).then().statusCode(200).body("inFlightRun.runId", equalTo(update.runId()));
    }

    @Test
    void forceUpdateNeedsTheApiKeyAndAKnownImage() {
        given().baseUri(watcher.baseUri().toString()).post("/api/v1/images/" + IMAGE + "/force-update")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().baseUri(watcher.baseUri().toString()).header("Authorization", "Bearer wrong-key-wrong-key")
                .post("/api/v1/images/" + IMAGE + "/check").then().statusCode(401);
        api().post("/api/v1/images/no/such-image/force-update").then().statusCode(404)
                .body("detail", containsString("unknown platform image 'no/such-image'"));
        api().urlEncodingEnabled(false).post("/api/v1/images/fixture/%2E%2E/etc/force-update").then().statusCode(400);

        String runId = api().contentType(ContentType.JSON).body("{\"reason\":\"Dockerfile changed\"}")
                .post("/api/v1/images/" + IMAGE + "/force-update").then().statusCode(202).extract().path("runId");
        ForceUpdateRequested forced = topics.awaitEvent(ForceUpdateRequested.class, e -> e.runId().equals(runId), TIMEOUT);
        assertEquals("Dockerfile changed", forced.reason());
        assertEquals(IMAGE, forced.imageId());
        assertEquals("api:default", forced.requestedBy(), "freshen.watcher.api-key is the key named default");
    }

    @Test
    void aDescriptorAddedOnDiskIsPickedUpWithoutRestart() {
        write(platformImagesDir, "late/arrival/Dockerfile", "FROM " + v1.withDigest(null) + "\n");
        write(platformImagesDir, "late/arrival/platform-image.yaml", "target: {repository: platform/late, tagPrefix: x}\n");
        await().atMost(TIMEOUT).until(() -> api().get("/api/v1/images/late/arrival").statusCode() == 200);
        api().get("/api/v1/images/late/arrival").then().body("baseImages[0]", equalTo(v1.withDigest(null).toString()));
    }

    @Test
    void badDescriptorsAreReportedAndTheOthersStillWatched() {
        api().get("/api/v1/images").then().statusCode(200)
                .body("images.id", hasItem(IMAGE))
                .body("images.findAll { it.state == 'invalid' }.id", hasItem("broken/cron"))
                .body("invalidDescriptors.message", hasItem(containsString("broken/yaml/platform-image.yaml line 1, column 9: not valid YAML")))
                .body("invalidDescriptors.message", hasItem(containsString("broken/cron/platform-image.yaml line 1, column 11: field 'schedule': 'hourly' is not a valid cron expression")))
                .body("invalidDescriptors.message", hasItem(containsString("broken/escape/platform-image.yaml")))
                .body("invalidDescriptors.message", hasItem(containsString("field 'build.dockerfile'")));
        api().post("/api/v1/images/broken/cron/check").then().statusCode(409)
                .body("code", equalTo("image-not-watched")).body("detail", containsString("field 'schedule'"))
                .body("problems.field", hasItem("schedule"));
        given().baseUri(watcher.baseUri().toString()).get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/images/{id}/force-update"));
        given().baseUri(watcher.baseUri().toString()).get("/q/health/ready").then().statusCode(200)
                .body(containsString("run-ledger"));
        given().baseUri(watcher.baseUri().toString()).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void aDefinitionChangeStartsOneRunAndOnlyOneWhileASettingsEditOrAManualReleaseStartNothing() {
        // published with the definition on disk (computed by the production code), from the base as it is
        publishTargetBuiltFrom(driftBase, targetOf(DRIFT), "10.0-1.0.0", definitionOf(DRIFT));
        publishTargetBuiltFrom(driftBase, targetOf(MANUAL), "10.0-1.0.0", definitionOf(MANUAL));
        await().atMost(TIMEOUT).untilAsserted(() -> api().post("/api/v1/images/" + DRIFT + "/check").then()
                .statusCode(200).body("result", equalTo("UP_TO_DATE")).body("definition.state", equalTo("same")));

        // an edit outside the build settings: checked on load, the same definition, no run
        Instant edited = Instant.now();
        write(platformImagesDir, DRIFT + "/platform-image.yaml", driftDescriptor(DRIFT, "0 0 3 1 1 ? 2099"));
        awaitCheckedAfter(DRIFT, edited);
        assertEquals(List.of(), driftRuns(DRIFT), "a schedule edit starts nothing");

        // a Dockerfile edit: one definition-changed run naming the file, found again by every later check
        Definition before = definitionOf(DRIFT);
        write(platformImagesDir, DRIFT + "/Dockerfile", "FROM " + driftBase.withDigest(null) + "\nCOPY app/ /app/\nUSER 1654\n");
        Definition after = definitionOf(DRIFT);
        BaseImageUpdated run = topics.awaitEvent(BaseImageUpdated.class, e -> e.imageId().equals(DRIFT)
                && e.baseImages().get(0).previousDigest() != null, TIMEOUT);
        assertEquals(Trigger.Kind.DEFINITION_CHANGED, run.trigger().kind());
        assertEquals(List.of(new Trigger.FileChange("Dockerfile", "modified")), run.trigger().definition().files());
        assertEquals(before.hash(), run.trigger().definition().previousHash());
        assertEquals(after.hash(), run.definition());
        assertEquals(driftBase.digest(), run.baseImages().get(0).digest());
        for (int poll = 0; poll < 5; poll++) {
            api().post("/api/v1/images/" + DRIFT + "/check").then().statusCode(200)
                    .body("result", equalTo("RUN_EXISTS")).body("runId", equalTo(run.runId()))
                    .body("definition.state", equalTo("changed")).body("definition.files[0].path", equalTo("Dockerfile"));
        }

        // released by hand only
        write(platformImagesDir, MANUAL + "/platform-image.yaml", driftDescriptor(MANUAL, NEVER) + "rebuildOnChange: false\n");
        write(platformImagesDir, MANUAL + "/app/run.sh", "echo run v2\n");
        await().atMost(TIMEOUT).untilAsserted(() -> api().post("/api/v1/images/" + MANUAL + "/check").then()
                .statusCode(200).body("result", equalTo("AWAITING_RELEASE"))
                .body("message", containsString("app/run.sh")).body("message", containsString("force-update")));

        // a restarted watcher finds the same run
        watcher.restart(TIMEOUT);
        api().post("/api/v1/images/" + DRIFT + "/check").then().statusCode(200)
                .body("result", equalTo("RUN_EXISTS")).body("runId", equalTo(run.runId()));
        assertEquals(List.of(run.runId()), driftRuns(DRIFT).stream().map(BaseImageUpdated::runId).toList());
        assertEquals(List.of(), driftRuns(MANUAL));
    }

    /** The runs of {@code id} after its first publish (the never-published run of its first check aside). */
    private static List<BaseImageUpdated> driftRuns(String id) {
        List<BaseImageUpdated> runs = new ArrayList<>();
        for (var record : topics.readAll(Topics.BASE_IMAGE_UPDATED)) {
            BaseImageUpdated e = EventJson.read(record.value(), BaseImageUpdated.class);
            if (e.imageId().equals(id) && e.baseImages().get(0).previousDigest() != null) {
                runs.add(e);
            }
        }
        return runs;
    }

    private static void awaitCheckedAfter(String id, Instant edited) {
        await().atMost(TIMEOUT).until(() -> {
            String checkedAt = api().get("/api/v1/images/" + id).then().extract().path("lastCheck.checkedAt");
            return checkedAt != null && Instant.parse(checkedAt).isAfter(edited);
        });
    }

    private static String driftDescriptor(String id, String schedule) {
        return """
                schedule: "%s"
                target:
                  repository: %s
                  tagPrefix: "10.0"
                """.formatted(schedule, targetOf(id));
    }

    private static String targetOf(String id) {
        return "platform/" + id.replace('/', '-') + "-" + driftUnique;
    }

    /** The definition of {@code id} on disk, as the watcher and the builder compute it. */
    private static Definition definitionOf(String id) {
        return new PlatformImageCatalog(platformImagesDir).scan().image(id).orElseThrow().definition();
    }

    /**
     * Builds and pushes what the builder would have: FROM the pinned base, labelled with it and with
     * {@code definition}, under a version tag of {@code repository}.
     */
    private static void publishTargetBuiltFrom(ImageReference pinnedBase, String repository, String versionTag,
                                               Definition definition) {
        String target = registry.host() + "/" + repository + ":" + versionTag;
        Path context = tempDir();
        write(context, "Dockerfile", "FROM " + pinnedBase + "\nLABEL " + ImageLabels.BASE_IMAGES + "=\"" + pinnedBase + "\"\n");
        DockerEngine.docker("build", "-q", "-t", target, "--label", ImageLabels.DEFINITION + "=" + definition.hash(),
                "--label", ImageLabels.DEFINITION_FILES + "=" + definition.filesLabel().orElseThrow(), context.toString());
        DockerEngine.docker("push", "-q", target);
        DockerEngine.docker("rmi", target);
    }

    /** Builds and pushes what the builder would have: FROM the pinned base, labelled with it, under a version tag. */
    private static void publishTargetBuiltFrom(ImageReference pinnedBase, String versionTag) {
        String target = registry.host() + "/" + targetRepository + ":" + versionTag;
        Path context = tempDir();
        write(context, "Dockerfile", "FROM " + pinnedBase + "\nLABEL " + ImageLabels.BASE_IMAGES + "=\"" + pinnedBase + "\"\n");
        DockerEngine.docker("build", "-q", "-t", target, context.toString());
        DockerEngine.docker("push", "-q", target);
        DockerEngine.docker("rmi", target);
    }

    private static RequestSpecification api() {
        return given().baseUri(watcher.baseUri().toString()).header("Authorization", "Bearer " + API_KEY);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("freshen-target-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path root, String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
