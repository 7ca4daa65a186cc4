package dev.freshen.e2e;

import dev.freshen.events.EventJson;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Topics;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.Commands;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.MultiArchBase;
import dev.freshen.testing.WebhookReceiver;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dockerfiles as platform teams write them (issue 19), through the packaged watcher, builder, tester, publisher and
 * notifier:
 * <ul>
 *   <li><b>B</b>, a base already pinned as Renovate and Dependabot commit it ({@code name:tag@digest}, an older digest
 *       of the tag): watched by its tag and pinned again to the run's digest; the card says what it was pinned to;</li>
 *   <li><b>C</b>, an {@code ARG} tag variant whose default the descriptor's {@code build.args} overrides: the
 *       overriding variant is the base watched, built and labelled, never the default's;</li>
 *   <li>a base pinned by digest alone ({@code name@digest}): pinned, not watched, no run, no error;</li>
 *   <li><b>A</b>, a heredoc whose body has a line starting with "from": detected as the one base its FROM names;
 *       built where the engine can fetch the {@code docker/dockerfile:1} frontend its {@code # syntax=} names, else a
 *       permanent {@code PipelineFailed} of the build that says so (nothing can be pulled here);</li>
 *   <li>a build context whose {@code .dockerignore} is an allow list that leaves the Dockerfile out ({@code *},
 *       {@code !Dockerfile}, {@code !ca-certificates/}), built on the Engine-API path: published, with exactly the
 *       allowed files in the image.</li>
 *   <li>a base published as a multi-platform image index (linux/amd64, linux/arm64, a BuildKit attestation; issue
 *       20): built from its linux/amd64 manifest; the index moving for arm64 or a new attestation starts no run;
 *       the amd64 manifest moving does, and the card says linux/amd64 moved.</li>
 * </ul>
 * What is checked is what a user would check: the published image's {@code dev.freshen.base-images} label names the
 * right base digests, and the watcher finds the published image up to date.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerfileFormsIT {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final String API_KEY = "e2e-forms-api-key-0123456789abcdef";
    private static final String PINNED = "forms/pinned-tag-digest";
    private static final String VARIANT = "forms/variant-build-arg";
    private static final String DIGEST_ONLY = "forms/pinned-digest-only";
    private static final String HEREDOC = "forms/heredoc";
    private static final String IGNORED = "forms/dockerignore-allow-list";
    /** A repository of its own: PipelineIT publishes revisions of dotnet/runtime:10.0 in the same registry. */
    private static final String VENDOR = "dotnet-forms/runtime";
    private static final String MULTI_ARCH = "forms/multi-arch-base";
    /** The multi-platform base's repository. */
    private static final String MULTI_VENDOR = "dotnet-forms/runtime-multi";

    private PackagedServices services;
    private LocalRegistry registry;
    private RegistryClient registryClient;
    private EventTopics topics;
    private WebhookReceiver receiver;
    private ImageReference pinnedInDockerfile;
    private ImageReference tagNow;
    private ImageReference defaultVariant;
    private ImageReference chiseled;
    private MultiArchBase multiArch;
    private MultiArchBase.Published multiArchInitial;

    @BeforeAll
    void startPipeline() throws IOException {
        DockerEngine.requireRunning();
        registry = LocalRegistry.shared();
        registryClient = new RegistryClient(RegistrySettings.defaults());
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        receiver = WebhookReceiver.start();

        // B: the Dockerfile pins an older digest of the tag; the vendor has moved the tag since
        pinnedInDockerfile = FixtureImages.publishBase(registry.host(), VENDOR, "10.0");
        tagNow = FixtureImages.publishBase(registry.host(), VENDOR, "10.0");
        assertNotEquals(pinnedInDockerfile.digest(), tagNow.digest(), "two revisions of the fixture base");
        // C: both variants exist, with different digests: building the default's would pass unnoticed otherwise
        defaultVariant = FixtureImages.publishBase(registry.host(), VENDOR, "10.0-noble");
        chiseled = FixtureImages.publishBase(registry.host(), VENDOR, "10.0-noble-chiseled");
        multiArch = new MultiArchBase(registry.host(), MULTI_VENDOR);
        multiArchInitial = multiArch.publish("10.0", MultiArchBase.Variant.initial());

        Path platformImages = platformImages();
        services = PackagedServices.start(platformImages, registry.host(), API_KEY, receiver.url("/teams"));
    }

    @AfterAll
    void stopPipeline() {
        if (services != null) {
            services.close();
        }
        if (topics != null) {
            topics.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aTagAndDigestReferenceIsWatchedByItsTagAndPinnedAgainToTheRunsDigest() {
        api().get("/api/v1/images/" + PINNED).then().statusCode(200)
                .body("state", equalTo("watched"))
                .body("baseImages", equalTo(List.of(registry.host() + "/" + VENDOR + ":10.0")))
                .body("pinnedBases", empty());

        // never published: the watcher's check at start-up starts the run
        ImagePublished published = awaitPublished(PINNED);
        ImageReference base = ImageReference.parse(registry.host() + "/" + VENDOR + ":10.0");
        assertEquals(base, published.baseImages().get(0).reference());
        assertEquals(tagNow.digest(), published.baseImages().get(0).digest(), "the tag's digest now, not the Dockerfile's");
        assertEquals(pinnedInDockerfile.digest(), published.baseImages().get(0).pinnedInDockerfile());
        assertEquals(base.withDigest(tagNow.digest()).toString(), baseImagesLabel(published),
                "the label names the digest the run built from");
        awaitVerified(published);
        api().post("/api/v1/images/" + PINNED + "/check").then().statusCode(200).body("result", equalTo("UP_TO_DATE"));
        awaitCard(published.runId(), "the Dockerfile was pinned to " + pinnedInDockerfile.digest());
    }

    @Test
    void theBuildArgVariantIsTheBaseWatchedBuiltAndLabelled() {
        ImageReference base = ImageReference.parse(registry.host() + "/" + VENDOR + ":10.0-noble-chiseled");
        api().get("/api/v1/images/" + VARIANT).then().statusCode(200)
                .body("baseImages", equalTo(List.of(base.toString())));

        ImagePublished published = awaitPublished(VARIANT);
        assertEquals(base, published.baseImages().get(0).reference());
        assertEquals(chiseled.digest(), published.baseImages().get(0).digest());
        assertNull(published.baseImages().get(0).pinnedInDockerfile());
        String label = baseImagesLabel(published);
        assertEquals(base.withDigest(chiseled.digest()).toString(), label);
        assertFalse(label.contains(defaultVariant.digest().toString()), "never the ARG default's base: " + label);
        awaitVerified(published);
        api().post("/api/v1/images/" + VARIANT + "/check").then().statusCode(200).body("result", equalTo("UP_TO_DATE"));
    }

    @Test
    void aDigestOnlyReferenceIsPinnedNotWatchedAndNeverAnError() {
        api().get("/api/v1/images/" + DIGEST_ONLY).then().statusCode(200)
                .body("state", equalTo("watched"))
                .body("baseImages", empty())
                .body("pinnedBases", equalTo(List.of(pinnedInDockerfile.withTag(null).toString())))
                .body("problems", empty());
        api().post("/api/v1/images/" + DIGEST_ONLY + "/check").then().statusCode(200)
                .body("result", equalTo("NO_BASES"))
                .body("message", containsString("pinned, not watched"));
    }

    @Test
    void aHeredocBodyIsDataAndItsRunEndsInAClearOutcome() {
        String base = registry.host() + "/" + VENDOR + ":10.0";
        api().get("/api/v1/images/" + HEREDOC).then().statusCode(200)
                .body("state", equalTo("watched"))
                .body("baseImages", equalTo(List.of(base)))
                .body("problems", empty());

        // never published: the start-up check starts a run; which outcome depends on the engine reaching Docker Hub
        Object outcome = await().atMost(RUN_TIMEOUT).until(() -> outcome(HEREDOC), Optional::isPresent).orElseThrow();
        if (outcome instanceof PipelineFailed failed) {
            assertEquals(Stage.BUILD, failed.stage());
            assertEquals(FailureKind.PERMANENT, failed.kind(), failed.reason());
            assertEquals("dockerfile-frontend-unavailable", failed.code(), failed.reason());
            assertTrue(failed.reason().contains("docker/dockerfile"), "names the frontend it could not fetch: " + failed.reason());
        } else {
            ImagePublished published = (ImagePublished) outcome;
            assertEquals(base + "@" + published.baseImages().get(0).digest(), baseImagesLabel(published));
        }
    }

    @Test
    void aContextWhoseDockerignoreIsAnAllowListBuildsOnTheEngineApiPathAndIsPublished() {
        ImagePublished published = awaitPublished(IGNORED);
        awaitVerified(published);
        String builderLog = services.get("builder").logText();
        assertTrue(builderLog.contains("Run " + published.runId() + " (" + IGNORED + "): building with engine-api"),
                "the Engine-API path, where docker-java refused this context before");
        String image = published.image().toString();
        List<String> files;
        try {
            files = Commands.run(List.of(DockerEngine.CLI, "run", "--rm", image, "find", "/context", "-type", "f"), 120)
                    .lines().sorted().toList();
        } finally {
            Commands.run(List.of(DockerEngine.CLI, "image", "rm", "--force", image), 60);
        }
        assertEquals(List.of("/context/Dockerfile", "/context/ca-certificates/company-root.crt"), files,
                "only what .dockerignore lets in (never notes.txt or secrets/)");
    }

    @Test
    void aMultiPlatformBaseIsBuiltFromItsAmd64ManifestAndOnlyThatManifestMovingStartsARun() {
        ImagePublished first = awaitPublished(MULTI_ARCH);
        Digest amd64 = multiArchInitial.manifest(MultiArchBase.AMD64);
        ImageReference base = ImageReference.parse(registry.host() + "/" + MULTI_VENDOR + ":10.0");
        assertEquals(amd64, first.baseImages().get(0).digest(), "the platform's manifest, not the index");
        assertEquals(Platform.LINUX_AMD64, first.baseImages().get(0).platform());
        assertEquals(base.withDigest(amd64).toString(), baseImagesLabel(first));
        awaitVerified(first);

        multiArch.publish("10.0", MultiArchBase.Variant.initial().withArm64("2"));
        api().post("/api/v1/images/" + MULTI_ARCH + "/check").then().statusCode(200)
                .body("result", equalTo("UP_TO_DATE")).body("platform", equalTo("linux/amd64"))
                .body("upstreamDigests", equalTo(java.util.Map.of(base.toString(), amd64.toString())));
        multiArch.publish("10.0", MultiArchBase.Variant.initial().withArm64("2").withAttestation("2"));
        api().post("/api/v1/images/" + MULTI_ARCH + "/check").then().statusCode(200).body("result", equalTo("UP_TO_DATE"));

        MultiArchBase.Published moved = multiArch.publish("10.0",
                MultiArchBase.Variant.initial().withArm64("2").withAmd64("2"));
        Digest amd64Now = moved.manifest(MultiArchBase.AMD64);
        api().post("/api/v1/images/" + MULTI_ARCH + "/check").then().statusCode(200)
                .body("result", equalTo("RUN_STARTED")).body("message", containsString("(linux/amd64)"));
        ImagePublished second = topics.awaitEvent(ImagePublished.class,
                e -> e.imageId().equals(MULTI_ARCH) && e.version().equals("1.1.0"), RUN_TIMEOUT);
        assertEquals(amd64Now, second.baseImages().get(0).digest());
        assertEquals(amd64, second.baseImages().get(0).previousDigest());
        assertEquals(base.withDigest(amd64Now).toString(), baseImagesLabel(second));
        assertEquals(2, topics.readAll(Topics.IMAGE_PUBLISHED).stream()
                .map(r -> EventJson.read(r.value(), ImagePublished.class))
                .filter(e -> e.imageId().equals(MULTI_ARCH)).count(), "two versions: the arm64 and attestation moves started nothing");
        awaitCard(second.runId(), "linux/amd64: " + amd64 + " → " + amd64Now);
    }

    /** The PipelineFailed or ImagePublished of the image's run, once there is one. */
    private Optional<Object> outcome(String imageId) {
        Optional<Object> failed = topics.readAll(Topics.PIPELINE_FAILED).stream()
                .map(r -> (Object) EventJson.read(r.value(), PipelineFailed.class))
                .filter(e -> ((PipelineFailed) e).imageId().equals(imageId)).findFirst();
        return failed.isPresent() ? failed : topics.readAll(Topics.IMAGE_PUBLISHED).stream()
                .map(r -> (Object) EventJson.read(r.value(), ImagePublished.class))
                .filter(e -> ((ImagePublished) e).imageId().equals(imageId)).findFirst();
    }

    private ImagePublished awaitPublished(String imageId) {
        ImagePublished published = topics.awaitEvent(ImagePublished.class,
                e -> e.imageId().equals(imageId) && e.version().equals("1.0.0"), RUN_TIMEOUT);
        long total = Duration.between(published.timings().get(0).startedAt(), published.occurredAt()).toMillis();
        System.out.println("E2E " + imageId + ": " + total + " ms from build start to ImagePublished");
        return published;
    }

    private void awaitVerified(ImagePublished published) {
        ImageVerified verified = topics.awaitEvent(ImageVerified.class, e -> e.runId().equals(published.runId()),
                Duration.ofSeconds(30));
        assertTrue(verified.checks().stream().allMatch(c -> c.passed()), verified.checks().toString());
    }

    /** Waits for the Teams card of the run, which must contain {@code text}. */
    private void awaitCard(String runId, String text) {
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests().stream()
                .anyMatch(r -> r.path().equals("/teams") && r.body().contains(runId) && r.body().contains(text)));
    }

    /** The {@code dev.freshen.base-images} label of the image in the registry. */
    private String baseImagesLabel(ImagePublished published) {
        return registryClient.imageConfig(published.image()).labels().get(ImageLabels.BASE_IMAGES);
    }

    private RequestSpecification api() {
        return given().baseUri(services.get("watcher").baseUri().toString()).header("Authorization", "Bearer " + API_KEY);
    }

    /** Three platform images on the fixture base, and the fixture's echo application for C's integration test. */
    private Path platformImages() throws IOException {
        Path root = Files.createTempDirectory("freshen-e2e-forms-");
        String vendor = registry.host() + "/" + VENDOR;
        image(root, PINNED, "platform/forms-pinned", """
                # Example B of issue 19: pinned by tag and digest, as Renovate and Dependabot commit it
                FROM %s:10.0@%s
                USER 1654
                """.formatted(vendor, pinnedInDockerfile.digest()), "", "");
        image(root, VARIANT, "platform/forms-variant", """
                # Example C of issue 19: the descriptor's build.args chooses the variant
                ARG VARIANT=10.0-noble
                FROM %s:${VARIANT}
                USER 1654
                """.formatted(vendor), """
                build:
                  args: {VARIANT: 10.0-noble-chiseled}
                """, """
                integrationTest:
                  app: apps/fixture-echo
                  replaceFrom: mycompany/fixture-runtime:10.0
                  port: 8080
                  request: {method: POST, path: /cgi-bin/MyService, body: '{"name":"freshen"}'}
                  expect: {status: 200, bodyContains: freshen}
                  startupTimeout: 30s
                """);
        image(root, DIGEST_ONLY, "platform/forms-digest-only", """
                FROM %s@%s
                USER 1654
                """.formatted(vendor, pinnedInDockerfile.digest()), "", "");
        image(root, HEREDOC, "platform/forms-heredoc", """
                # syntax=docker/dockerfile:1
                FROM %s:10.0
                COPY <<EOT /etc/motd
                from the platform team
                EOT
                USER 1654
                """.formatted(vendor), "", "");
        image(root, MULTI_ARCH, "platform/forms-multi-arch", """
                # a vendor base published as an image index: linux/amd64, linux/arm64 and an attestation
                FROM %s/%s:10.0
                USER 1654
                """.formatted(registry.host(), MULTI_VENDOR), "", "");
        image(root, IGNORED, "platform/forms-dockerignore", """
                FROM %s:10.0
                COPY . /context/
                USER 1654
                """.formatted(vendor), "", "");
        Path ignored = root.resolve(IGNORED);
        Files.writeString(ignored.resolve(".dockerignore"), "*\n!Dockerfile\n!ca-certificates/\n");
        Files.createDirectories(ignored.resolve("ca-certificates"));
        Files.writeString(ignored.resolve("ca-certificates/company-root.crt"), "-----BEGIN CERTIFICATE-----\n");
        Files.writeString(ignored.resolve("notes.txt"), "left out by .dockerignore\n");
        Files.createDirectories(ignored.resolve("secrets"));
        Files.writeString(ignored.resolve("secrets/token"), "left out by .dockerignore\n");
        Path app = Commands.repositoryRoot().resolve("deploy/local/platform-images/apps/fixture-echo");
        try (Stream<Path> files = Files.walk(app)) {
            for (Path file : files.toList()) {
                Path to = root.resolve("apps/fixture-echo").resolve(app.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return root;
    }

    private static void image(Path root, String id, String repository, String dockerfile, String build, String test)
            throws IOException {
        Path folder = Files.createDirectories(root.resolve(id));
        Files.writeString(folder.resolve("Dockerfile"), dockerfile);
        Files.writeString(folder.resolve("platform-image.yaml"), """
                target:
                  repository: %s
                  tagPrefix: "10.0"
                checks:
                  user: non-root
                  labels: [dev.freshen.base-images]
                """.formatted(repository) + build + test);
    }
}
