package dev.freshen.watcher;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ChecksFailed;
import dev.freshen.events.ChecksRecovered;
import dev.freshen.events.EventJson;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.Topics;
import dev.freshen.events.WatchState;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.ServiceProcess;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

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
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged watcher as its own process, with the real Kafka broker and registry, on the descriptor mistakes that
 * concern an image already published: it stays visible as {@code invalid} with every problem and its last published
 * version, is neither checked nor built, {@code check} and {@code force-update} answer 409 naming the problems; one
 * {@code ImageWatchChanged} is written when it becomes invalid and one when it is fixed, none at the rescans in
 * between nor after a restart. A copied folder that claims the published image's {@code latest} is refused (the
 * registry's label decides, although the copy comes first in id order), also while the original is invalid. A new
 * descriptor is checked as soon as it is loaded, and the API shows the schedule in force. Checks that keep failing
 * are announced once, also across a restart, and so is their recovery. Images built on each other: a child waits for
 * its parent's first publish, the parent's {@code ImagePublished} starts the child's run at once (no schedule fires),
 * a poll and a restart find that run instead of starting another, and two images FROM each other's tags are invalid.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageWatchIT {

    private static final String API_KEY = "test-api-key-0123456789";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Long enough for several rescans (every second) and a start-up announcement. */
    private static final Duration QUIET = Duration.ofSeconds(4);
    private static final String UNIQUE = Long.toString(System.nanoTime(), 36);
    /** The published image. */
    private static final String WEB = "watch-" + UNIQUE + "/web";
    /** A copy of its folder, first in id order, claiming the same repository and latest. */
    private static final String COPY = "watch-" + UNIQUE + "/a-copy";

    private static LocalRegistry registry;
    private static EventTopics topics;
    private static ServiceProcess watcher;
    private static Path root;
    private static String repository;
    private static String upstream;
    private static ImageReference base;

    @BeforeAll
    static void start(@TempDir Path platformImages) {
        DockerEngine.requireRunning();
        root = platformImages;
        registry = LocalRegistry.shared();
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        upstream = "dotnet/runtime-" + UNIQUE;
        repository = "platform/web-" + UNIQUE;
        base = FixtureImages.publishBase(registry.host(), upstream, "10.0");
        publishVersion("10.0-1.0.0", WEB);

        write(WEB + "/Dockerfile", "FROM " + registry.host() + "/" + upstream + ":10.0\n");
        write(WEB + "/platform-image.yaml", valid());
        write(COPY + "/Dockerfile", "FROM " + registry.host() + "/" + upstream + ":10.0\n");
        write(COPY + "/platform-image.yaml", """
                target:
                  repository: %s
                  tagPrefix: "10.1"
                  extraTags: [latest]
                """.formatted(repository));
        watcher = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.target-registry", registry.host(),
                "freshen.watcher.api-key", API_KEY,
                "freshen.watcher.rescan-interval", "1s"), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (watcher != null) {
            watcher.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    @Test
    @Order(1)
    void aCopiedFolderClaimingThePublishedLatestIsRefusedAlthoughItComesFirst() {
        await().atMost(TIMEOUT).until(() -> "UP_TO_DATE".equals(api().get("/api/v1/images/" + WEB).path("lastCheck.result")));
        api().get("/api/v1/images/" + COPY).then().statusCode(200)
                .body("state", equalTo("invalid"))
                .body("problems[0].code", equalTo("descriptor-duplicate-tag"))
                .body("problems[0].message", equalTo("tag latest of " + repository + " is also published by " + WEB))
                .body("problems[0].field", equalTo("target.extraTags[0]"))
                .body("problems[0].line", equalTo(4))
                .body("problems[0].hint", containsString(WEB + " keeps it (the registry's tag names it as its image)"));
        api().get("/api/v1/images/" + WEB).then().body("state", equalTo("watched"));
        // a new folder invalid from the start is announced too, without a previous state
        ImageWatchChanged copy = topics.awaitEvent(ImageWatchChanged.class, e -> e.imageId().equals(COPY), TIMEOUT);
        assertEquals(WatchState.INVALID, copy.state());
        assertNull(copy.previousState());
    }

    @Test
    @Order(2)
    void aPublishedImageWhoseDescriptorBreaksStaysVisibleWithEveryProblemAndIsAnnouncedOnce() {
        write(WEB + "/platform-image.yaml", valid().replace("notify:", "notfy:").replace("\"*/1 * * * * ?\"", "hourly"));

        ImageWatchChanged broken = topics.awaitEvent(ImageWatchChanged.class, e -> e.imageId().equals(WEB), TIMEOUT);
        assertEquals(WatchState.INVALID, broken.state());
        assertEquals(WatchState.WATCHED, broken.previousState());
        assertEquals(List.of("descriptor-invalid-cron", "descriptor-unknown-key"),
                broken.problems().stream().map(ImageWatchChanged.Problem::code).toList());
        assertEquals("10.0-1.0.0", broken.lastPublished().tag());
        assertEquals(registry.host() + "/" + repository, broken.lastPublished().registry() + "/" + broken.lastPublished().repository());

        JsonPath image = api().get("/api/v1/images/" + WEB).then().statusCode(200).extract().jsonPath();
        assertEquals("invalid", image.getString("state"));
        assertNull(image.getString("schedule"), "not checked, so on no schedule");
        assertEquals(List.of(1, 6), image.getList("problems.line"));
        assertEquals("unknown key 'notfy' at the top level: did you mean notify?", image.getString("problems[1].message"));
        assertEquals(WEB + "/platform-image.yaml", image.getString("problems[1].file"));
        assertTrue(image.getString("problems[1].hint").startsWith("Rename it to notify"));
        assertEquals("10.0-1.0.0", image.getString("lastPublished.versionTag"));
        api().get("/api/v1/images").then().body("images.findAll { it.state == 'invalid' }.id", hasItem(WEB));

        for (String action : List.of("check", "force-update")) {
            api().post("/api/v1/images/" + WEB + "/" + action).then().statusCode(409)
                    .body("code", equalTo("image-not-watched"))
                    .body("detail", containsString(WEB + " is not watched: its descriptor has 2 problems: "))
                    .body("detail", containsString("line 6, column 1: unknown key 'notfy' at the top level: did you mean notify?"))
                    .body("hint", containsString("Fix " + WEB + "/platform-image.yaml"))
                    .body("problems.code", hasItem("descriptor-unknown-key"));
        }
        // not checked while invalid (its schedule was every second), and announced once across the rescans
        String checkedBefore = api().get("/api/v1/images/" + WEB).path("lastCheck.checkedAt");
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> changes(WEB).size() == 1
                && java.util.Objects.equals(checkedBefore, api().get("/api/v1/images/" + WEB).<String>path("lastCheck.checkedAt")));
        assertEquals(1, changes(COPY).size(), "the copy is still refused while the image it copies is invalid");
    }

    @Test
    @Order(3)
    void aRestartedWatcherDoesNotAnnounceAgainAndStillKnowsTheLastVersionFromTheRegistry() {
        watcher.restart(TIMEOUT);
        api().get("/api/v1/images/" + WEB).then().statusCode(200)
                .body("state", equalTo("invalid"))
                .body("lastCheck", nullValue())
                .body("lastPublished.versionTag", equalTo("10.0-1.0.0"));
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> changes(WEB).size() == 1 && changes(COPY).size() == 1);
        assertTrue(watcher.logText().contains("Invalid platform image descriptor, not watched: " + WEB));
    }

    @Test
    @Order(4)
    void aFixedDescriptorIsAnnouncedOnceAndCheckedAtOnce() {
        Instant fixedAt = Instant.now();
        write(WEB + "/platform-image.yaml", valid());
        await().atMost(TIMEOUT).until(() -> changes(WEB).size() == 2);
        ImageWatchChanged fixed = EventJson.read(changes(WEB).get(1), ImageWatchChanged.class);
        assertEquals(WatchState.WATCHED, fixed.state());
        assertEquals(WatchState.INVALID, fixed.previousState());
        assertEquals(List.of(), fixed.problems());
        await().atMost(TIMEOUT).until(() -> {
            JsonPath image = api().get("/api/v1/images/" + WEB).then().extract().jsonPath();
            return "watched".equals(image.getString("state")) && image.getString("lastCheck.checkedAt") != null
                    && Instant.parse(image.getString("lastCheck.checkedAt")).isAfter(fixedAt);
        });
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> changes(WEB).size() == 2);
    }

    @Test
    @Order(5)
    void aNewDescriptorIsCheckedWhenItIsLoadedAndShowsTheDefaultSchedule() {
        String late = "watch-" + UNIQUE + "/late";
        Instant added = Instant.now();
        write(late + "/Dockerfile", "FROM " + registry.host() + "/" + upstream + ":10.0\n");
        write(late + "/platform-image.yaml", "target: {repository: platform/late-" + UNIQUE + ", tagPrefix: \"1.0\"}\n");
        await().atMost(TIMEOUT).until(() -> api().get("/api/v1/images/" + late).statusCode() == 200);
        api().get("/api/v1/images/" + late).then()
                .body("state", equalTo("watched"))
                .body("schedule", equalTo("0 */15 * * * ?"))
                .body("problems.size()", equalTo(0));
        // its schedule would check it in up to 15 minutes: the check on load does it now, and starts its first run
        BaseImageUpdated run = topics.awaitEvent(BaseImageUpdated.class, e -> e.imageId().equals(late), TIMEOUT);
        assertEquals(base.digest(), run.baseImages().get(0).digest());
        assertTrue(Instant.parse(api().get("/api/v1/images/" + late).path("lastCheck.checkedAt")).isAfter(added));
        assertTrue(watcher.logText().contains("Checking " + late + " now: its descriptor was loaded"));
        assertTrue(changes(late).isEmpty(), "a new valid image is not announced");
    }

    /**
     * Check health end to end: a base tag missing upstream fails every check (the schedule is every second); the third
     * failure in a row writes one {@code ChecksFailed}, shown by the API and the metrics, and neither the following
     * failures nor a restart write another; once the tag exists the next check passes and writes one
     * {@code ChecksRecovered}, which the restarted watcher knew to write from the topic.
     */
    @Test
    @Order(6)
    void checksThatKeepFailingAreAnnouncedOnceAlsoAcrossARestartAndTheirRecoveryOnce() {
        String gone = "watch-" + UNIQUE + "/gone";
        String goneUpstream = "dotnet/gone-" + UNIQUE;
        write(gone + "/Dockerfile", "FROM " + registry.host() + "/" + goneUpstream + ":10.0\n");
        write(gone + "/platform-image.yaml", "schedule: \"*/1 * * * * ?\"\ntarget: {repository: platform/gone-" + UNIQUE
                + ", tagPrefix: \"1.0\"}\n");

        ChecksFailed failed = topics.awaitEvent(ChecksFailed.class, e -> e.imageId().equals(gone), TIMEOUT);
        assertEquals(3, failed.consecutiveFailures());
        assertEquals("base-image-missing", failed.code());
        assertEquals("base image " + registry.host() + "/" + goneUpstream + ":10.0 does not exist upstream", failed.reason());
        JsonPath image = api().get("/api/v1/images/" + gone).then().statusCode(200).extract().jsonPath();
        assertEquals("failing", image.getString("checkHealth.state"));
        assertEquals(failed.failingSince(), Instant.parse(image.getString("checkHealth.failingSince")));
        assertEquals("base-image-missing", image.getString("checkHealth.code"));
        assertEquals(3, image.getInt("checkHealth.threshold"));
        assertEquals("1.0", metric("freshen_image_checks_failing", gone));
        assertTrue(Double.parseDouble(metric("freshen_check_failures_total", gone, "base-image-missing")) >= 3);
        // the checks go on failing every second: not announced again
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> records(Topics.CHECKS_FAILED, gone).size() == 1);

        watcher.restart(TIMEOUT);
        await().atMost(TIMEOUT).until(() -> api().get("/api/v1/images/" + gone).jsonPath().getInt(
                "checkHealth.consecutiveFailures") > 3);
        api().get("/api/v1/images/" + gone).then().body("checkHealth.state", equalTo("failing"));
        assertEquals(1, records(Topics.CHECKS_FAILED, gone).size(), "a restarted watcher does not announce it again");

        FixtureImages.publishBase(registry.host(), goneUpstream, "10.0");
        ChecksRecovered recovered = topics.awaitEvent(ChecksRecovered.class, e -> e.imageId().equals(gone), TIMEOUT);
        assertEquals(failed.runId(), recovered.runId());
        assertEquals(failed.failingSince(), recovered.failingSince());
        assertTrue(recovered.failedCycles() > 3, "the failures after the restart count on: " + recovered.failedCycles());
        topics.awaitEvent(BaseImageUpdated.class, e -> e.imageId().equals(gone), TIMEOUT);
        api().get("/api/v1/images/" + gone).then().body("checkHealth.state", equalTo("ok"))
                .body("checkHealth.consecutiveFailures", equalTo(0));
        assertEquals("0.0", metric("freshen_image_checks_failing", gone));
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> records(Topics.CHECKS_RECOVERED, gone).size() == 1
                && records(Topics.CHECKS_FAILED, gone).size() == 1);
    }

    /**
     * A parent published by the pipeline (simulated: its version pushed, its {@code ImagePublished} sent) starts its
     * child at once, pinned to the published digest and naming the parent's run; the schedules (year 2099) never fire.
     * A check afterwards, and the start-up check of a restarted watcher that replays the publish, find that run.
     */
    @Test
    @Order(7)
    void aParentsPublishStartsItsChildAtOnceAndNeitherAPollNorARestartStartsAnother() {
        String parent = "watch-" + UNIQUE + "/chain-parent";
        String child = "watch-" + UNIQUE + "/chain-child";
        String parentRepository = "platform/chain-" + UNIQUE;
        String never = "schedule: \"0 0 0 1 1 ? 2099\"\n";
        write(parent + "/Dockerfile", "FROM " + registry.host() + "/" + upstream + ":10.0\n");
        write(parent + "/platform-image.yaml", never + "target: {repository: " + parentRepository
                + ", tagPrefix: \"p\", extraTags: [parent]}\n");
        write(child + "/Dockerfile", "FROM " + registry.host() + "/" + parentRepository + ":parent\n");
        write(child + "/platform-image.yaml", never + "target: {repository: platform/chain-child-" + UNIQUE
                + ", tagPrefix: \"c\"}\n");

        BaseImageUpdated parentRun = topics.awaitEvent(BaseImageUpdated.class, e -> e.imageId().equals(parent), TIMEOUT);
        assertEquals(List.of(child), parentRun.trigger().dependents());
        await().atMost(TIMEOUT).until(() -> "HELD".equals(api().get("/api/v1/images/" + child).path("lastCheck.result")));
        api().get("/api/v1/images/" + child).then()
                .body("lastCheck.waitsOn.imageId", equalTo(parent))
                .body("lastCheck.waitsOn.state", equalTo("never-published"))
                .body("chain.parents", equalTo(List.of(parent)))
                .body("chain.state", equalTo("waiting"));
        api().get("/api/v1/images/" + parent).then().body("chain.children", equalTo(List.of(child)));

        ImageReference published = publishTo(parentRepository, "p-1.0.0", "parent", parent);
        Instant sent = Instant.now();
        topics.send(new dev.freshen.events.ImagePublished(parentRun.runId(), parent, 1, sent,
                parentRun.trigger(), parentRun.baseImages(), published, "1.0.0", List.of("p-1.0.0", "parent"), List.of()));

        BaseImageUpdated childRun = topics.awaitEvent(BaseImageUpdated.class, e -> e.imageId().equals(child),
                Duration.ofSeconds(20));
        assertEquals(dev.freshen.events.Trigger.Kind.PARENT_PUBLISHED, childRun.trigger().kind());
        assertEquals(parent, childRun.trigger().parent().imageId());
        assertEquals(parentRun.runId(), childRun.trigger().parent().runId());
        assertEquals("p-1.0.0", childRun.trigger().parent().version());
        assertEquals(published.digest(), childRun.baseImages().get(0).digest());
        assertTrue(Duration.between(sent, childRun.occurredAt()).toSeconds() < 15, "driven by the event");

        api().post("/api/v1/images/" + child + "/check").then().statusCode(200)
                .body("result", equalTo("RUN_EXISTS"))
                .body("runId", equalTo(childRun.runId()));

        watcher.restart(TIMEOUT);
        await().atMost(TIMEOUT).until(() -> "RUN_EXISTS".equals(api().get("/api/v1/images/" + child).path("lastCheck.result")));
        await().during(QUIET).atMost(QUIET.plusSeconds(5))
                .until(() -> records(Topics.BASE_IMAGE_UPDATED, child).size() == 1);
    }

    @Test
    @Order(8)
    void imagesBuiltFromEachOthersTagsAreBothInvalidNamingTheCycle() {
        String a = "watch-" + UNIQUE + "/cycle-a";
        String b = "watch-" + UNIQUE + "/cycle-b";
        write(a + "/Dockerfile", "FROM " + registry.host() + "/platform/cycle-b-" + UNIQUE + ":latest\n");
        write(a + "/platform-image.yaml", "target: {repository: platform/cycle-a-" + UNIQUE + ", tagPrefix: \"1\", extraTags: [latest]}\n");
        write(b + "/Dockerfile", "FROM " + registry.host() + "/platform/cycle-a-" + UNIQUE + ":latest\n");
        write(b + "/platform-image.yaml", "target: {repository: platform/cycle-b-" + UNIQUE + ", tagPrefix: \"1\", extraTags: [latest]}\n");

        await().atMost(TIMEOUT).until(() -> api().get("/api/v1/images/" + b).statusCode() == 200);
        for (String id : List.of(a, b)) {
            api().get("/api/v1/images/" + id).then()
                    .body("state", equalTo("invalid"))
                    .body("problems[0].code", equalTo("descriptor-dependency-cycle"))
                    .body("problems[0].line", equalTo(1))
                    .body("problems[0].message", containsString("these images are built FROM each other's tags"));
        }
        api().get("/api/v1/images/" + a).then().body("problems[0].message",
                containsString(a + " \u2192 " + b + " \u2192 " + a));
    }

    /** Pushes {@code repository:versionTag} and {@code :movingTag}, built FROM the base and labelled; its reference. */
    private static ImageReference publishTo(String repository, String versionTag, String movingTag, String imageId) {
        String target = registry.host() + "/" + repository + ":" + versionTag;
        String moving = registry.host() + "/" + repository + ":" + movingTag;
        Path context;
        try {
            context = Files.createTempDirectory("freshen-target-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeTo(context.resolve("Dockerfile"), "FROM " + base + "\nLABEL " + ImageLabels.BASE_IMAGES + "=\"" + base
                + "\" " + ImageLabels.IMAGE_ID + "=\"" + imageId + "\"\n");
        DockerEngine.docker("build", "-q", "-t", target, "-t", moving, context.toString());
        DockerEngine.docker("push", "-q", target);
        DockerEngine.docker("push", "-q", moving);
        String pinned = DockerEngine.docker("inspect", "--format", "{{index .RepoDigests 0}}", target).strip();
        DockerEngine.docker("rmi", target, moving);
        return ImageReference.parse(target).withDigest(ImageReference.parse(pinned).digest());
    }

    /** The value of the Prometheus sample {@code name} whose labels include {@code image} (and {@code code}). */
    private static String metric(String name, String imageId, String... code) {
        String text = given().baseUri(watcher.baseUri().toString()).get("/q/metrics").then().statusCode(200)
                .extract().asString();
        return text.lines().filter(l -> l.startsWith(name + "{") && l.contains("image=\"" + imageId + "\"")
                        && (code.length == 0 || l.contains("code=\"" + code[0] + "\"")))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " of " + imageId + " in /q/metrics"));
    }

    /** Every record of {@code topic} for {@code imageId}, in order. */
    private static List<byte[]> records(String topic, String imageId) {
        return topics.readAll(topic).stream().filter(r -> imageId.equals(r.key())).map(r -> r.value()).toList();
    }

    private static String valid() {
        return """
                schedule: "*/1 * * * * ?"
                target:
                  repository: %s
                  tagPrefix: "10.0"
                  extraTags: [latest]
                notify: [platform-team]
                """.formatted(repository);
    }

    /** Every ImageWatchChanged record of {@code imageId}, in order. */
    private static List<byte[]> changes(String imageId) {
        return topics.readAll(Topics.IMAGE_WATCH_CHANGED).stream().filter(r -> imageId.equals(r.key()))
                .map(r -> r.value()).toList();
    }

    /** Pushes {@code repository:<versionTag>} and {@code :latest}, built FROM the base, labelled as the builder does. */
    private static void publishVersion(String versionTag, String imageId) {
        publishTo(repository, versionTag, "latest", imageId);
    }

    private static RequestSpecification api() {
        return given().baseUri(watcher.baseUri().toString()).header("Authorization", "Bearer " + API_KEY);
    }

    private static void write(String relative, String content) {
        writeTo(root.resolve(relative), content);
    }

    private static void writeTo(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
