package dev.freshen.builder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.definition.Definition;
import dev.freshen.events.BaseImage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.RunIds;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.ImageConfig;
import dev.freshen.registry.Manifest;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged builder as its own process, with the real Docker engine, registry and Kafka broker: builds pinned to
 * the run's base digest through both build paths, pushes candidates by digest, reports failures with their log.
 */
class BuildIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalRegistry registry;
    private static RegistryClient registryClient;
    private static EventTopics topics;
    private static ServiceProcess builder;
    private static ImageReference baseV1;
    private static ImageReference baseV2;

    private static Path root;

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        DockerEngine.requireRunning();
        root = platformImages;
        registry = LocalRegistry.shared();
        registryClient = new RegistryClient(RegistrySettings.defaults());
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        String upstream = registry.host() + "/dotnet/runtime-build";
        baseV1 = FixtureImages.publishBase(registry.host(), "dotnet/runtime-build", "10.0");
        baseV2 = FixtureImages.publishBase(registry.host(), "dotnet/runtime-build", "10.0");

        write(platformImages, "fixture/classic/Dockerfile", """
                ARG UPSTREAM=%s
                FROM ${UPSTREAM}:10.0
                RUN echo hardened > /etc/hardening
                USER 1654
                """.formatted(upstream));
        write(platformImages, "fixture/classic/platform-image.yaml", "target: {repository: platform/classic, tagPrefix: '10.0'}\n");
        write(platformImages, "fixture/buildkit/Dockerfile", """
                FROM %s:10.0
                COPY --chmod=755 hello.sh /usr/local/bin/hello.sh
                """.formatted(upstream));
        write(platformImages, "fixture/buildkit/hello.sh", "#!/bin/sh\necho hello\n");
        write(platformImages, "fixture/buildkit/platform-image.yaml", "target: {repository: platform/buildkit, tagPrefix: '10.0'}\n");
        write(platformImages, "fixture/broken/Dockerfile", """
                FROM %s:10.0
                RUN echo about to fail && exit 3
                """.formatted(upstream));
        write(platformImages, "fixture/broken/platform-image.yaml", "target: {repository: platform/broken, tagPrefix: '10.0'}\n");
        // the context: everything out but the Dockerfile and one folder (the pinned copy has another name)
        write(platformImages, "fixture/dockerignore/.dockerignore", "*\n!Dockerfile\n!ca-certificates/\n");
        write(platformImages, "fixture/dockerignore/Dockerfile", """
                FROM %s:10.0
                COPY . /ctx
                RUN test -f /ctx/ca-certificates/corp-root.crt && test ! -e /ctx/secret.env
                """.formatted(upstream));
        write(platformImages, "fixture/dockerignore/ca-certificates/corp-root.crt", "cert\n");
        write(platformImages, "fixture/dockerignore/secret.env", "TOKEN=x\n");
        write(platformImages, "fixture/dockerignore/platform-image.yaml", "target: {repository: platform/dockerignore, tagPrefix: '10.0'}\n");
        write(platformImages, "fixture/bad-pattern/.dockerignore", "bin\n[obj\n");
        write(platformImages, "fixture/bad-pattern/Dockerfile", "FROM %s:10.0\n".formatted(upstream));
        write(platformImages, "fixture/bad-pattern/platform-image.yaml", "target: {repository: platform/bad-pattern, tagPrefix: '10.0'}\n");

        builder = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
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
        topics.close();
    }

    @Test
    void buildsFromExactlyTheRunsBaseDigestAndPushesACandidateByDigest() throws IOException {
        // the upstream tag now points at v2, but the run asks for v1: v1 it must be
        BaseImageUpdated request = update("fixture/classic", baseV1);
        topics.send(request);
        ImageBuilt built = topics.awaitEvent(ImageBuilt.class, e -> e.runId().equals(request.runId()), TIMEOUT);

        assertTrue(built.candidate().isPinned());
        assertEquals(registry.host() + "/platform/classic-staging", built.candidate().name(), "staged by default");
        ImageConfig config = registryClient.imageConfig(built.candidate());
        assertEquals(baseV1.digest().toString(), config.labels().get(ImageLabels.BASE_DIGEST));
        assertEquals(baseV1.withDigest(null).toString(), config.labels().get(ImageLabels.BASE_NAME));
        assertEquals(baseV1.toString(), config.labels().get(ImageLabels.BASE_IMAGES));
        assertEquals(request.runId(), config.labels().get(ImageLabels.RUN_ID));
        assertEquals("fixture/classic", config.labels().get(ImageLabels.IMAGE_ID));
        Definition definition = definition("fixture/classic");
        assertEquals(definition.hash(), config.labels().get(ImageLabels.DEFINITION));
        assertEquals(definition.filesLabel().orElseThrow(), config.labels().get(ImageLabels.DEFINITION_FILES),
                "the lines of the files label, as the Engine API path wrote them");
        assertTrue(Instant.parse(config.labels().get(ImageLabels.CREATED)).isAfter(request.occurredAt().minusSeconds(5)));
        assertEquals("1654", config.user());
        List<String> baseLayers = diffIds(baseV1);
        assertEquals(baseLayers, diffIds(built.candidate()).subList(0, baseLayers.size()), "built on v1's layers");
        assertTrue(!baseLayers.equals(diffIds(baseV2)), "v1 and v2 differ, so the check above means something");
        assertEquals(registryClient.manifestDigest(ImageReference.parse(built.candidate().name() + ":candidate-"
                + request.runId())).orElseThrow(), built.candidate().digest(), "also tagged candidate-<runId>");
        assertTrue(DockerEngine.docker("images", "-q", "--filter", "reference=freshen-build/*").isBlank(),
                "no local build image left behind");
    }

    @Test
    void buildKitOnlySyntaxTakesTheBuildKitPath() {
        BaseImageUpdated request = update("fixture/buildkit", baseV2);
        topics.send(request);
        ImageBuilt built = topics.awaitEvent(ImageBuilt.class, e -> e.runId().equals(request.runId()), TIMEOUT);
        ImageConfig config = registryClient.imageConfig(built.candidate());
        assertEquals(baseV2.digest().toString(), config.labels().get(ImageLabels.BASE_DIGEST));
        assertEquals(request.runId(), config.labels().get(ImageLabels.RUN_ID));
        assertTrue(builder.logText().contains("(fixture/buildkit): building with buildkit"));
        Definition definition = definition("fixture/buildkit");
        assertEquals(definition.hash(), config.labels().get(ImageLabels.DEFINITION));
        assertEquals(definition.filesLabel().orElseThrow(), config.labels().get(ImageLabels.DEFINITION_FILES),
                "the lines of the files label, as the docker CLI wrote them");
        assertTrue(config.labels().get(ImageLabels.DEFINITION_FILES).contains("\nf "), "one line per entry");
    }

    @Test
    void aBrokenDockerfileFailsTheRunWithTheStepAndTheLogAndTheBuilderGoesOn() {
        BaseImageUpdated broken = update("fixture/broken", baseV2);
        topics.send(broken);
        PipelineFailed failed = topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(broken.runId()), TIMEOUT);
        assertEquals(Stage.BUILD, failed.stage());
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertTrue(failed.reason().contains("RUN echo about to fail && exit 3"), failed.reason());
        assertTrue(failed.logExcerpt().contains("about to fail"), failed.logExcerpt());

        BaseImageUpdated next = update("fixture/classic", baseV2);
        topics.send(next);
        topics.awaitEvent(ImageBuilt.class, e -> e.runId().equals(next.runId()), TIMEOUT);
    }

    @Test
    void aDockerignoreThatExcludesTheDockerfileBuildsThroughTheEngineApi() {
        BaseImageUpdated request = update("fixture/dockerignore", baseV2);
        topics.send(request);
        ImageBuilt built = topics.awaitEvent(ImageBuilt.class, e -> e.runId().equals(request.runId()), TIMEOUT);
        assertEquals(baseV2.digest().toString(), registryClient.imageConfig(built.candidate()).labels().get(ImageLabels.BASE_DIGEST));
        assertTrue(builder.logText().contains("(fixture/dockerignore): building with engine-api"));
    }

    @Test
    void aMalformedDockerignorePatternFailsTheRunAtOnceWithItsLine() {
        BaseImageUpdated request = update("fixture/bad-pattern", baseV2);
        topics.send(request);
        PipelineFailed failed = topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(request.runId()), TIMEOUT);
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals("descriptor-invalid", failed.code(), "the folder cannot be read: the watcher reports the same");
        assertTrue(failed.reason().contains(".dockerignore line 2: the pattern \"[obj\" is malformed"), failed.reason());
        assertTrue(failed.hint().contains("freshen status fixture/bad-pattern"), failed.hint());
        assertFalse(builder.logText().contains("Retrying build of run " + request.runId()), "not retried");
    }

    @Test
    void aRunStartedForAnotherDefinitionFailsBeforeBuilding() {
        BaseImageUpdated base = update("fixture/classic", baseV2);
        String other = "sha256:" + "0".repeat(64);
        BaseImageUpdated request = new BaseImageUpdated(base.runId(), base.imageId(), 1, base.occurredAt(),
                base.baseImages(), other, Trigger.baseImageUpdated(), other);
        topics.send(request);
        PipelineFailed failed = topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(request.runId()), TIMEOUT);
        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failed.kind());
        assertEquals(BuildProblems.DEFINITION_MISMATCH, failed.code());
        assertTrue(failed.reason().contains(other) && failed.reason().contains(definition("fixture/classic").hash()),
                failed.reason());
        assertFalse(builder.logText().contains("Run " + request.runId() + " (fixture/classic): building"), "not built");
    }

    @Test
    void theSameRequestTwiceIsBuiltOnce() {
        BaseImageUpdated request = update("fixture/classic", baseV2);
        topics.send(request);
        topics.send(request);
        List<ImageBuilt> built = new ArrayList<>();
        topics.awaitRecords(dev.freshen.events.Topics.IMAGE_BUILT, r -> {
            ImageBuilt event = dev.freshen.events.EventJson.read(r.value(), ImageBuilt.class);
            if (event.runId().equals(request.runId())) {
                built.add(event);
                return true;
            }
            return false;
        }, 2, TIMEOUT);
        // a second build would carry another creation time, hence another digest
        assertEquals(built.get(0).candidate(), built.get(1).candidate());
        assertEquals(1, builder.logCount("Run " + request.runId() + " (fixture/classic): built before, answering "),
                "the second answered from the outcome stated before");
    }

    @Test
    void aRedeliveredRequestIsAnsweredFromKafkaAlsoWhenItsCandidateTagIsGone() throws IOException {
        BaseImageUpdated request = update("fixture/classic", baseV2);
        topics.send(request);
        ImageBuilt first = topics.awaitEvent(ImageBuilt.class, e -> e.runId().equals(request.runId()), TIMEOUT);
        ImageReference tag = ImageReference.parse(first.candidate().name() + ":candidate-" + request.runId());
        assertTrue(registryClient.deleteManifest(tag.registry(), tag.repository(), first.candidate().digest()));
        assertTrue(registryClient.manifestDigest(tag).isEmpty(), "the candidate is gone, as after its run ended");

        topics.send(request);
        List<ImageBuilt> built = new ArrayList<>();
        topics.awaitRecords(dev.freshen.events.Topics.IMAGE_BUILT, r -> {
            ImageBuilt event = dev.freshen.events.EventJson.read(r.value(), ImageBuilt.class);
            return event.runId().equals(request.runId()) && built.add(event);
        }, 2, TIMEOUT);
        assertEquals(first.candidate(), built.get(1).candidate(), "the same candidate again, not a second build");
        assertEquals(1, builder.logCount("Run " + request.runId() + " (fixture/classic): building with"), "built once");
    }

    @Test
    void aForcedRunResolvesTheCurrentBaseDigest() {
        ForceUpdateRequested forced = new ForceUpdateRequested(RunIds.forced(), "fixture/classic", 1, Instant.now(),
                "hardening script changed", "test");
        topics.send(forced);
        ImageBuilt built = topics.awaitEvent(ImageBuilt.class, e -> e.runId().equals(forced.runId()), TIMEOUT);
        assertEquals(baseV2.digest(), built.baseImages().get(0).digest());
        assertEquals("forced", built.trigger().kind().id());
        assertEquals("hardening script changed", built.trigger().reason());
    }

    private static BaseImageUpdated update(String imageId, ImageReference pinnedBase) {
        return new BaseImageUpdated(SampleEvents.runId(), imageId, 1, Instant.now(),
                List.of(new BaseImage(pinnedBase.withDigest(null), pinnedBase.digest(), null)), "sha256:test");
    }

    private static List<String> diffIds(ImageReference image) throws IOException {
        Manifest manifest = registryClient.manifest(image).orElseThrow();
        JsonNode configDescriptor = JSON.readTree(manifest.content()).get("config");
        byte[] config = registryClient.blob(image.registry(), image.repository(),
                dev.freshen.events.image.Digest.parse(configDescriptor.get("digest").asText()));
        List<String> ids = new ArrayList<>();
        JSON.readTree(config).get("rootfs").get("diff_ids").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    /** The definition of {@code imageId} as the builder reads it from the platform-images folder. */
    private static Definition definition(String imageId) {
        return PlatformImageCatalog.of(root).scan(imageId).image(imageId).orElseThrow().definition();
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
