package dev.freshen.builder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import dev.freshen.builder.docker.EngineCandidateStore;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.Staging;
import dev.freshen.docker.BuildKitCliBuilder;
import dev.freshen.docker.DockerEngine;
import dev.freshen.docker.EngineApiBuilder;
import dev.freshen.docker.BuildFailure;
import dev.freshen.docker.EnginePlatforms;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import dev.freshen.registry.ImageConfig;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.MediaTypes;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.MultiArchBase;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A two-platform image through the builder's real {@link BuildStage} (real {@link EngineCandidateStore},
 * {@link BuildKitCliBuilder}, {@link EnginePlatforms}, the real Docker engine with BuildKit and QEMU user emulation,
 * a real CNCF registry): a {@code RUN} step writes {@code uname -m} on both platforms over a {@link MultiArchBase}
 * base, and a {@code FROM --platform=$BUILDPLATFORM} stage runs natively in both children. Checked through the
 * registry API: the candidate is the index under {@code candidate-<runId>}, each child's config names its
 * architecture and the base digest of its platform, the arm64 child's layer holds {@code aarch64}, and the index's
 * annotations name each platform's base manifest and the run.
 */
class MultiPlatformBuildIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Platform ARM64 = Platform.parse("linux/arm64");
    private static final String IMAGE = "multi/app";
    private static final String FAILING = "multi/failing";

    private static LocalRegistry registry;
    private static DockerClient docker;
    private static RegistryClient client;
    private static MultiArchBase.Published base;
    private static Path platformImages;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        dev.freshen.testing.DockerEngine.requireRunning();
        dev.freshen.testing.Emulation.requireArm64();
        docker = DockerEngine.connect(TIMEOUT);
        registry = LocalRegistry.start();
        client = new RegistryClient(RegistrySettings.defaults());
        base = new MultiArchBase(registry.host(), "dotnet/runtime").publish("10.0", MultiArchBase.Variant.initial());
        platformImages = dir;
        String from = registry.host() + "/dotnet/runtime:10.0";
        Path folder = Files.createDirectories(dir.resolve(IMAGE));
        Files.writeString(folder.resolve("Dockerfile"), """
                FROM --platform=$BUILDPLATFORM %s AS native
                RUN ["/bin/busybox", "sh", "-c", "/bin/busybox uname -m > /built-natively"]
                FROM %s
                RUN ["/bin/busybox", "sh", "-c", "/bin/busybox uname -m > /etc/built-on"]
                COPY --from=native /built-natively /etc/built-natively
                """.formatted(from, from));
        Files.writeString(folder.resolve("platform-image.yaml"),
                "target: {repository: platform/multi, tagPrefix: '1.0'}\nplatforms: [linux/amd64, linux/arm64]\n");
        Path failing = Files.createDirectories(dir.resolve(FAILING));
        Files.writeString(failing.resolve("Dockerfile"), """
                FROM %s
                RUN ["/bin/busybox", "sh", "-c", "echo running on $(/bin/busybox uname -m); test $(/bin/busybox uname -m) != aarch64"]
                """.formatted(from));
        Files.writeString(failing.resolve("platform-image.yaml"),
                "target: {repository: platform/failing, tagPrefix: '1.0'}\nplatforms: [linux/amd64, linux/arm64]\n");
    }

    @AfterAll
    static void stop() throws IOException {
        if (docker != null) {
            docker.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** The builder's stage as {@code BuilderBeans} wires it, on the real engine and registry. */
    private static BuildStage stage() {
        return new BuildStage(PlatformImageCatalog.of(platformImages)::scan,
                new EngineCandidateStore(docker, client, TIMEOUT), new EngineApiBuilder(docker),
                new BuildKitCliBuilder(dev.freshen.testing.DockerEngine.CLI), p -> Optional.empty(),
                new BuildSettings(registry.host(), Staging.defaults(), TIMEOUT, 100,
                        new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1)), Platform.LINUX_AMD64),
                Clock.systemUTC(), client::credentialsFor, new BuildOutcomes(),
                EnginePlatforms.of(docker, dev.freshen.testing.DockerEngine.CLI, TIMEOUT));
    }

    @Test
    void aStepThatFailsUnderArm64FailsTheRunNamingArm64AndLeavesNoChildInStaging() {
        String runId = SampleEvents.runId();

        FreshenEvent event = stage().build(new BuildRequest(runId, FAILING, Trigger.forced("two platforms", "test"),
                List.of(), Instant.now()));

        PipelineFailed failed = event instanceof PipelineFailed f ? f : fail("not failed: " + event);
        assertEquals(ARM64, failed.platform());
        assertEquals(BuildFailure.STEP_FAILED, failed.code());
        assertTrue(failed.reason().startsWith("linux/arm64: build failed"), failed.reason());
        assertTrue(failed.logExcerpt().contains("running on aarch64"), failed.logExcerpt());
        String staging = registry.host() + "/platform/failing-staging";
        assertEquals(Optional.empty(), client.manifestDigest(ImageReference.parse(staging + ":"
                + Staging.platformCandidateTag(runId, Platform.LINUX_AMD64))), "the amd64 child was pushed, then deleted");
        assertEquals(Optional.empty(), client.manifestDigest(ImageReference.parse(staging + ":"
                + Staging.candidateTag(runId))), "no index");
    }

    @Test
    void buildsEachPlatformPinnedToItsOwnBaseAndPutsTheIndexAsTheCandidate() throws IOException {
        String runId = SampleEvents.runId();

        FreshenEvent event = stage().build(new BuildRequest(runId, IMAGE, Trigger.forced("two platforms", "test"),
                List.of(), Instant.now()));

        ImageBuilt built = event instanceof ImageBuilt b ? b : fail("not built: " + event);
        String staging = registry.host() + "/platform/multi-staging";
        assertEquals(staging, built.candidate().name());
        assertEquals(Optional.of(built.candidate().digest()), client.manifestDigest(ImageReference.parse(staging + ":"
                + Staging.candidateTag(runId))), "candidate-<runId> names the index the event names");
        Manifest index = client.manifest(built.candidate()).orElseThrow();
        assertEquals(MediaTypes.OCI_INDEX, index.mediaType());
        assertEquals(built.candidate().digest(), index.digest());

        List<ImageIndexes.Entry> entries = ImageIndexes.read(index);
        assertEquals(List.of(Platform.LINUX_AMD64, ARM64), entries.stream().map(ImageIndexes.Entry::platform).toList());
        assertEquals(entries.stream().map(e -> new PlatformDigest(e.platform(), e.digest())).toList(), built.manifests());
        JsonNode annotations = JSON.readTree(index.content()).get("annotations");
        assertEquals(runId, annotations.get(ImageLabels.RUN_ID).asText());
        assertEquals(IMAGE, annotations.get(ImageLabels.IMAGE_ID).asText());
        Digest arm64Base = base.manifest(MultiArchBase.ARM64);
        Digest amd64Base = base.manifest(MultiArchBase.AMD64);
        assertEquals(arm64Base.toString(), entries.get(1).annotations().get(ImageLabels.BASE_DIGEST),
                "the arm64 entry names the arm64 manifest of the base");
        assertEquals(amd64Base.toString(), entries.get(0).annotations().get(ImageLabels.BASE_DIGEST));
        assertEquals(registry.host() + "/dotnet/runtime:10.0", entries.get(1).annotations().get(ImageLabels.BASE_NAME));
        assertEquals(Optional.of(entries.get(1).digest()), client.manifestDigest(ImageReference.parse(staging + ":"
                + Staging.platformCandidateTag(runId, ARM64))), "each child under its platform's candidate tag");

        for (var expected : Map.of(Platform.LINUX_AMD64, List.of("x86_64", amd64Base),
                ARM64, List.of("aarch64", arm64Base)).entrySet()) {
            Platform platform = expected.getKey();
            ImageConfig config = client.imageConfigFor(built.candidate(), platform).orElseThrow();
            assertEquals(platform, config.platform(), "the child's config names its platform");
            assertEquals(expected.getValue().get(1).toString(), config.labels().get(ImageLabels.BASE_DIGEST));
            assertEquals(runId, config.labels().get(ImageLabels.RUN_ID));
            ImageReference child = built.candidate().withDigest(built.manifests().stream()
                    .filter(m -> m.platform().equals(platform)).findFirst().orElseThrow().digest());
            assertEquals(expected.getValue().get(0) + "\n", file(child, "etc/built-on"),
                    "the RUN step ran as " + platform);
            assertEquals("x86_64\n", file(child, "etc/built-natively"),
                    "the FROM --platform=$BUILDPLATFORM stage ran natively for " + platform);
        }
        assertEquals(List.of(amd64Base, arm64Base), built.baseImages().get(0).platforms().stream()
                .map(p -> p.digest()).toList(), "the run's bases, per platform");
    }

    /** The content of {@code path} in the newest layer of {@code image} that holds it. */
    private static String file(ImageReference image, String path) throws IOException {
        JsonNode manifest = JSON.readTree(client.manifest(image).orElseThrow().content());
        List<JsonNode> layers = new java.util.ArrayList<>();
        manifest.get("layers").forEach(layers::add);
        for (int i = layers.size() - 1; i >= 0; i--) {
            byte[] blob = client.blob(image.registry(), image.repository(), Digest.parse(layers.get(i).get("digest").asText()));
            Optional<String> content = tarEntry(new GZIPInputStream(new ByteArrayInputStream(blob)), path);
            if (content.isPresent()) {
                return content.get();
            }
        }
        return fail(path + " is in no layer of " + image);
    }

    /** A regular file's content from a tar stream (ustar headers; names without a leading "./" or "/"). */
    private static Optional<String> tarEntry(InputStream tar, String path) throws IOException {
        byte[] header = new byte[512];
        while (tar.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "")
                    .replaceFirst("^\\./", "").replaceFirst("^/", "");
            String prefix = new String(header, 345, 155, StandardCharsets.US_ASCII).replace("\0", "");
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
            byte[] content = tar.readNBytes((int) size);
            tar.skipNBytes((512 - size % 512) % 512);
            if (name.equals(path) && (header[156] == '0' || header[156] == 0)) {
                return Optional.of(new String(content, StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
