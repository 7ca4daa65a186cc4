package dev.freshen.watcher;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.BasePlatform;
import dev.freshen.events.EventJson;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.Topics;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.MultiArchBase;
import dev.freshen.testing.ServiceProcess;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The detection proof, with the packaged watcher as its own process, the real Kafka broker and the real
 * registry (no Docker): two platform images FROM one multi-platform base ({@link MultiArchBase}: an OCI index of a
 * linux/amd64 and a linux/arm64 busybox image), {@code multi/both} built for [linux/amd64, linux/arm64] and published
 * as an image index whose children are labelled with that platform's base manifest (as the builder labels them), and
 * {@code multi/amd64} built for [linux/amd64] and published as one image manifest. The base's arm64 image moving
 * rebuilds {@code multi/both} once (one {@code BaseImageUpdated} listing both platforms, arm64 changed) and
 * {@code multi/amd64} not at all; its amd64 image moving then rebuilds both.
 */
class MultiPlatformWatchIT {

    private static final String API_KEY = "test-api-key-0123456789";
    private static final String BOTH = "multi/both";
    private static final String AMD64_ONLY = "multi/amd64";
    private static final String VERSION = "10.0-1.0.0";
    private static final String NEVER = "0 0 0 1 1 ? 2099";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Platform AMD64 = Platform.LINUX_AMD64;
    private static final Platform ARM64 = Platform.parse("linux/arm64");

    private static LocalRegistry registry;
    private static EventTopics topics;
    private static ServiceProcess watcher;
    private static MultiArchBase base;
    private static ImageReference baseTag;
    private static MultiArchBase.Published initial;
    private static final RegistryClient CLIENT = new RegistryClient(RegistrySettings.defaults());

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        registry = LocalRegistry.shared();
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        String unique = Long.toString(System.nanoTime(), 36);
        String baseRepository = "dotnet/multi-base-" + unique;
        base = new MultiArchBase(registry.host(), baseRepository);
        initial = base.publish("10.0", MultiArchBase.Variant.initial());
        baseTag = new ImageReference(registry.host(), baseRepository, "10.0", null);

        String bothTarget = "platform/multi-both-" + unique;
        String amd64Target = "platform/multi-amd64-" + unique;
        image(platformImages, BOTH, bothTarget, "[linux/amd64, linux/arm64]");
        image(platformImages, AMD64_ONLY, amd64Target, "[linux/amd64]");
        // published before the watcher starts, from the base as it is: both up to date on the first check
        publishIndex(bothTarget, initial.manifest(MultiArchBase.AMD64), initial.manifest(MultiArchBase.ARM64));
        publishManifest(amd64Target, child(amd64Target, AMD64, initial.manifest(MultiArchBase.AMD64)));

        watcher = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.target-registry", registry.host(),
                "freshen.registries.platform", "linux/amd64",
                "freshen.watcher.api-key", API_KEY,
                "freshen.watcher.rescan-interval", "2s"), TIMEOUT);
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
    void anArm64OnlyBaseUpdateRebuildsTheTwoPlatformImageOnceAndTheAmd64ImageNot() {
        // 0. published from the base as it is: each platform read from its own child
        check(BOTH).body("result", equalTo("UP_TO_DATE"))
                .body("platforms.platform", equalTo(List.of("linux/amd64", "linux/arm64")))
                .body("platforms.state", equalTo(List.of("current", "current")))
                .body("builtFrom.platforms.published", equalTo(List.of(true, true)))
                .body("message", equalTo("built from the current upstream digests for linux/amd64, linux/arm64"));
        check(AMD64_ONLY).body("result", equalTo("UP_TO_DATE")).body("platforms", equalTo(List.of()));
        assertAsDocumented(check(BOTH).extract().asString());

        // 1. the base's arm64 image moves (the index moves, its amd64 image stays)
        MultiArchBase.Published arm64Moved = base.publish("10.0", MultiArchBase.Variant.initial().withArm64("I2"));
        assertEquals(initial.manifest(MultiArchBase.AMD64), arm64Moved.manifest(MultiArchBase.AMD64));
        String firstRun = check(BOTH).body("result", equalTo("RUN_STARTED"))
                .body("message", containsString("(linux/arm64)"))
                .body("platforms.state", equalTo(List.of("current", "moved")))
                .extract().path("runId");
        BaseImageUpdated event = topics.awaitEvent(BaseImageUpdated.class,
                e -> e.imageId().equals(BOTH) && e.runId().equals(firstRun), TIMEOUT);
        var resolved = event.baseImages().get(0);
        assertEquals(baseTag, resolved.reference());
        assertEquals(List.of(
                        new BasePlatform(AMD64, initial.manifest(MultiArchBase.AMD64), initial.manifest(MultiArchBase.AMD64)),
                        new BasePlatform(ARM64, arm64Moved.manifest(MultiArchBase.ARM64), initial.manifest(MultiArchBase.ARM64))),
                resolved.platforms(), "both platforms, arm64 changed, previous digests from each child's labels");
        assertEquals(List.of(false, true), resolved.platforms().stream().map(BasePlatform::changed).toList());
        assertEquals(AMD64, resolved.platform(), "digest and platform are the first platform's");
        assertEquals(initial.manifest(MultiArchBase.AMD64), resolved.digest());
        for (int poll = 0; poll < 3; poll++) {
            check(BOTH).body("result", equalTo("RUN_EXISTS")).body("runId", equalTo(firstRun));
        }
        assertAsDocumented(check(BOTH).extract().asString());
        check(AMD64_ONLY).body("result", equalTo("UP_TO_DATE"));
        assertEquals(List.of(firstRun), runs(BOTH), "one run for the arm64 move");
        assertEquals(List.of(), runs(AMD64_ONLY), "an amd64-only image does not rebuild for an arm64 move");

        // 2. the base's amd64 image moves too: both images start a run
        MultiArchBase.Published amd64Moved = base.publish("10.0",
                MultiArchBase.Variant.initial().withArm64("I2").withAmd64("A2"));
        String secondRun = check(BOTH).body("result", equalTo("RUN_STARTED"))
                .body("message", containsString("(linux/amd64)")).extract().path("runId");
        String amd64Run = check(AMD64_ONLY).body("result", equalTo("RUN_STARTED"))
                .body("message", containsString("(linux/amd64)")).extract().path("runId");
        assertNotEquals(firstRun, secondRun);
        BaseImageUpdated single = topics.awaitEvent(BaseImageUpdated.class,
                e -> e.imageId().equals(AMD64_ONLY) && e.runId().equals(amd64Run), TIMEOUT);
        assertEquals(amd64Moved.manifest(MultiArchBase.AMD64), single.baseImages().get(0).digest());
        assertEquals(List.of(), single.baseImages().get(0).platforms(), "a one-platform run lists no platforms");
        assertEquals(List.of(firstRun, secondRun), runs(BOTH));
        assertEquals(List.of(amd64Run), runs(AMD64_ONLY));
    }

    /** A check's answer validates against the watcher's OpenAPI document ({@code CheckOutcome}, objects closed). */
    private static void assertAsDocumented(String answer) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            var openApi = json.readTree(api().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
            var schema = WatcherApiContractIT.schema(openApi,
                    json.readTree("{\"$ref\": \"#/components/schemas/CheckOutcome\"}"));
            assertEquals(java.util.Set.of(), schema.validate(json.readTree(answer)), answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run ids of every {@code BaseImageUpdated} of {@code imageId} on the topic, in order. */
    private static List<String> runs(String imageId) {
        return topics.readAll(Topics.BASE_IMAGE_UPDATED).stream()
                .map(r -> EventJson.read(r.value(), BaseImageUpdated.class))
                .filter(e -> e.imageId().equals(imageId)).map(BaseImageUpdated::runId).toList();
    }

    private static io.restassured.response.ValidatableResponse check(String imageId) {
        return api().post("/api/v1/images/" + imageId + "/check").then().statusCode(200);
    }

    private static RequestSpecification api() {
        return given().baseUri(watcher.baseUri().toString()).header("Authorization", "Bearer " + API_KEY);
    }

    private static void image(Path root, String id, String target, String platforms) throws IOException {
        Path folder = Files.createDirectories(root.resolve(id));
        Files.writeString(folder.resolve("Dockerfile"), "FROM " + baseTag + "\nUSER 1654\n");
        Files.writeString(folder.resolve("platform-image.yaml"), """
                schedule: "%s"
                platforms: %s
                target:
                  repository: %s
                  tagPrefix: "10.0"
                """.formatted(NEVER, platforms, target));
    }

    /** Version {@value #VERSION} of {@code repository} as an image index of an amd64 and an arm64 child. */
    private static void publishIndex(String repository, Digest amd64Base, Digest arm64Base) {
        List<ImageIndexes.Entry> entries = new ArrayList<>();
        entries.add(ImageIndexes.entryOf(pushChild(repository, child(repository, AMD64, amd64Base)), AMD64, Map.of()));
        entries.add(ImageIndexes.entryOf(pushChild(repository, child(repository, ARM64, arm64Base)), ARM64, Map.of()));
        CLIENT.putManifest(registry.host(), repository, VERSION, ImageIndexes.write(entries, Map.of()));
    }

    private static void publishManifest(String repository, Manifest manifest) {
        CLIENT.putManifest(registry.host(), repository, VERSION, manifest);
    }

    private static Manifest pushChild(String repository, Manifest child) {
        CLIENT.putManifest(registry.host(), repository, child.digest().toString(), child);
        return child;
    }

    /**
     * A small image of {@code platform} labelled as the builder labels it ({@code dev.freshen.base-images}: the base
     * pinned to {@code baseManifest}); its blobs pushed, its manifest not yet. The arm64 config names variant v8, as
     * Docker writes it.
     */
    private static Manifest child(String repository, Platform platform, Digest baseManifest) {
        byte[] tar = new byte[1024]; // an empty tar: two zero blocks
        Digest diffId = Digest.sha256Of(tar);
        byte[] layer = gzip(tar);
        String label = ImageLabels.baseImagesValue(List.of(baseTag.withDigest(baseManifest)));
        String variant = platform.architecture().equals("arm64") ? ",\"variant\":\"v8\"" : "";
        byte[] config = ("{\"architecture\":\"" + platform.architecture() + "\",\"os\":\"linux\"" + variant
                + ",\"config\":{\"Labels\":{\"" + ImageLabels.BASE_IMAGES + "\":\"" + label + "\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = CLIENT.pushBlob(registry.host(), repository, config);
        Digest layerDigest = CLIENT.pushBlob(registry.host(), repository, layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MultiArchBase.MANIFEST_TYPE + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        return Manifest.of(MultiArchBase.MANIFEST_TYPE, manifest);
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
