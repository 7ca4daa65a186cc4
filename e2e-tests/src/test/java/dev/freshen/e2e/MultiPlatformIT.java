package dev.freshen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.CheckResult;
import dev.freshen.events.EventJson;
import dev.freshen.events.EventType;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import dev.freshen.registry.ImageConfig;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.Commands;
import dev.freshen.testing.Emulation;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.MultiArchBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24's proof, on the shared local stack ({@link CorpusStack#shared()}: five packaged services, Kafka, one
 * registry): a two-platform image ({@code src/test/resources/multi-platform/}, see its README) FROM the multi-arch
 * fixture base ({@link MultiArchBase}), with a {@code RUN} step, a command check and the HTTP test app, runs once:
 * built for linux/amd64 natively and linux/arm64 under QEMU user emulation, tested on both, published as one OCI image
 * index. Then the registry API says: the published tags name the digest the tester verified (the index), each
 * platform image's config names its architecture, the arm64 image's {@code RUN} step ran on {@code aarch64}, and the
 * index and its entries carry the run's annotations and each platform's base digest. The candidate and its platform
 * images leave staging afterwards. Needs arm64 emulation ({@code deploy/local/stack.sh up emulation}); 10 to 40 s on
 * 2 cores once the stack runs (the run itself about 10 s).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(2) // after ChainIT, before MistakesCorpusIT (which closes the shared stack)
class MultiPlatformIT {

    private static final String IMAGE = "multi/app";
    private static final String REPOSITORY = "platform/multi";
    private static final String STAGING = REPOSITORY + "-staging";
    /** The fixture upstream base: its own repository, so that other ITs' bases never move it. */
    private static final String BASE = "dotnet/runtime-multi";
    private static final Platform AMD64 = Platform.LINUX_AMD64;
    private static final Platform ARM64 = Platform.parse("linux/arm64");
    private static final Path FIXTURES = Commands.repositoryRoot().resolve("e2e-tests/src/test/resources/multi-platform");
    private static final Path ECHO_APP = Commands.repositoryRoot().resolve("deploy/local/platform-images/apps/fixture-echo");
    /** Two builds (one emulated), two rounds of checks and test app (one emulated), a publish: on 2 busy cores. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CorpusStack stack;
    private EventTopics topics;
    private RegistryClient client;
    private MultiArchBase.Published base;

    @BeforeAll
    void start() {
        Emulation.requireArm64();
        stack = CorpusStack.shared();
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        client = new RegistryClient(RegistrySettings.defaults());
        base = new MultiArchBase(stack.registry.host(), BASE).publish("10.0", MultiArchBase.Variant.initial());
        stack.copyTree(ECHO_APP, stack.platformImages.resolve("apps/multi-echo"));
    }

    @AfterAll
    void stop() {
        for (String folder : List.of("multi", "apps/multi-echo")) {
            CorpusStack.deleteTree(stack.platformImages.resolve(folder));
        }
        if (topics != null) {
            topics.close();
        }
    }

    @Test
    void aTwoPlatformImageIsBuiltTestedAndPublishedAsOneIndexWhoseDigestIsTheTestedOne() throws IOException {
        long started = System.nanoTime();
        stack.placeFolder(FIXTURES.resolve(IMAGE), IMAGE);
        ImagePublished published = awaitPublished();
        System.out.printf("MULTI-PLATFORM run %s published in %.1f s%n", published.runId(),
                (System.nanoTime() - started) / 1e9);
        ImageBuilt built = event(ImageBuilt.class, published.runId());
        ImageVerified verified = event(ImageVerified.class, published.runId());

        // the events: one index, its two platform images in descriptor order, the same from build to publish
        List<Platform> platforms = List.of(AMD64, ARM64);
        assertEquals(platforms, built.manifests().stream().map(PlatformDigest::platform).toList(), built.toString());
        assertEquals(built.manifests(), verified.manifests());
        assertEquals(built.manifests(), published.manifests());
        assertEquals(built.candidate().digest(), verified.candidate().digest(), "the tester verified the built index");
        for (Platform platform : platforms) {
            assertTrue(verified.checks().stream().anyMatch(c -> c.name().startsWith("integration-test")
                    && c.passed() && platform.equals(c.platform())), "the test app ran on " + platform + ": "
                    + verified.checks().stream().map(MultiPlatformIT::shown).toList());
            assertTrue(verified.checks().stream().anyMatch(c -> c.name().startsWith("command")
                    && c.passed() && platform.equals(c.platform())), "the command check ran on " + platform + ": "
                    + verified.checks().stream().map(MultiPlatformIT::shown).toList());
        }

        // the registry: the published tags name the verified index, bytes as the builder put them in staging
        Digest index = verified.candidate().digest();
        assertEquals(index, published.digest(), "the published digest is the tested one");
        for (String tag : published.tags()) {
            assertEquals(Optional.of(index), client.manifestDigest(ref(REPOSITORY + ":" + tag)), tag);
        }
        Manifest manifest = client.manifest(ref(REPOSITORY + "@" + index)).orElseThrow();
        assertEquals(MultiArchBase.INDEX_TYPE, manifest.mediaType());
        List<ImageIndexes.Entry> entries = ImageIndexes.read(manifest);
        assertEquals(published.manifests(), entries.stream().map(e -> new PlatformDigest(e.platform(), e.digest()))
                .toList(), "the index lists the platform images the events name");

        // each platform image: its config names its architecture, its RUN step ran on that machine
        Map<Platform, String> machines = Map.of(AMD64, "x86_64", ARM64, "aarch64");
        for (ImageIndexes.Entry entry : entries) {
            ImageConfig config = client.imageConfigFor(ref(REPOSITORY + ":" + published.tags().get(0)), entry.platform())
                    .orElseThrow(() -> new AssertionError("no " + entry.platform() + " image in " + published.image()));
            assertEquals(entry.platform().architecture(), config.architecture(), "the config of " + entry.platform());
            assertEquals("linux", config.os());
            assertEquals(published.runId(), config.labels().get(ImageLabels.RUN_ID), "run id label of " + entry.platform());
            assertEquals(machines.get(entry.platform()) + "\n", fileOf(entry.digest(), "etc/built-on"),
                    "/etc/built-on of the " + entry.platform() + " image (its RUN step's uname -m)");
        }

        // the annotations: the run on the index, each platform's base on its entry
        JsonNode annotations = JSON.readTree(manifest.content()).path("annotations");
        assertEquals(published.runId(), annotations.path(ImageLabels.RUN_ID).asText(), annotations.toString());
        assertEquals(IMAGE, annotations.path(ImageLabels.IMAGE_ID).asText(), annotations.toString());
        assertFalse(annotations.path(ImageLabels.CREATED).asText().isEmpty(), annotations.toString());
        for (ImageIndexes.Entry entry : entries) {
            String platform = entry.platform().equals(AMD64) ? MultiArchBase.AMD64 : MultiArchBase.ARM64;
            assertEquals(base.manifest(platform).toString(), entry.annotations().get(ImageLabels.BASE_DIGEST),
                    entry.platform() + "'s base digest: " + entry.annotations());
            String name = entry.annotations().get(ImageLabels.BASE_NAME);
            assertNotNull(name, entry.platform() + "'s base name: " + entry.annotations());
            assertTrue(name.contains(BASE), entry.platform() + "'s base name: " + name);
        }

        // the candidate and its platform images leave staging once the run is published
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertEquals(List.of(), client.tags(stack.registry.host(), STAGING).stream()
                        .filter(t -> t.startsWith("candidate-" + published.runId())).toList(), "left in " + STAGING));
        assertTrue(client.manifest(ref(STAGING + "@" + index)).isEmpty(), "the staged index is deleted");
        for (PlatformDigest child : published.manifests()) {
            assertTrue(client.manifest(ref(STAGING + "@" + child.digest())).isEmpty(), "the staged " + child.platform()
                    + " image is deleted");
        }
    }

    // --- events ------------------------------------------------------------------------------------------------

    /** The first ImagePublished of the image; a PipelineFailed of it fails the test with its reason at once. */
    private ImagePublished awaitPublished() {
        List<ImagePublished> published = new ArrayList<>();
        try {
            await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                List<PipelineFailed> failed = events(PipelineFailed.class);
                if (!failed.isEmpty()) {
                    PipelineFailed first = failed.get(0);
                    throw new AssertionError("run " + first.runId() + " failed at stage " + first.stage().id()
                            + (first.platform() == null ? "" : " on " + first.platform()) + ": " + first.reason());
                }
                published.addAll(events(ImagePublished.class));
                return !published.isEmpty();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no ImagePublished of " + IMAGE + " within " + RUN_TIMEOUT.toMinutes()
                    + " minutes; built: " + events(ImageBuilt.class) + "; verified: " + events(ImageVerified.class));
        }
        return published.get(0);
    }

    private <T extends FreshenEvent> T event(Class<T> type, String runId) {
        return events(type).stream().filter(e -> e.runId().equals(runId)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " of run " + runId));
    }

    private <T extends FreshenEvent> List<T> events(Class<T> type) {
        return topics.readAll(EventType.of(type).topic()).stream().map(r -> EventJson.read(r.value(), type))
                .filter(e -> e.imageId().equals(IMAGE)).sorted(Comparator.comparing(FreshenEvent::occurredAt)).toList();
    }

    private static String shown(CheckResult check) {
        return check.name() + (check.platform() == null ? "" : "@" + check.platform()) + "=" + check.passed();
    }

    // --- the registry ------------------------------------------------------------------------------------------

    private ImageReference ref(String rest) {
        return ImageReference.parse(stack.registry.host() + "/" + rest);
    }

    /** The content of {@code path} in the newest layer of the published image {@code digest} that holds it. */
    private String fileOf(Digest image, String path) throws IOException {
        Manifest manifest = client.manifest(ref(REPOSITORY + "@" + image)).orElseThrow();
        String found = null;
        for (JsonNode layer : JSON.readTree(manifest.content()).path("layers")) {
            byte[] blob = client.blob(stack.registry.host(), REPOSITORY, Digest.parse(layer.path("digest").asText()));
            String content = Tar.file(blob, path);
            if (content != null) {
                found = content;
            }
        }
        if (found == null) {
            throw new AssertionError("no layer of " + REPOSITORY + "@" + image + " holds " + path);
        }
        return found;
    }

    /** Reads one regular file out of a layer (a ustar archive, gzip-compressed or not). */
    static final class Tar {

        private Tar() {
        }

        /** @return the file's content as UTF-8, or null when the archive does not hold it */
        static String file(byte[] layer, String path) throws IOException {
            byte[] tar = layer.length > 2 && (layer[0] & 0xff) == 0x1f && (layer[1] & 0xff) == 0x8b
                    ? new GZIPInputStream(new ByteArrayInputStream(layer)).readAllBytes() : layer;
            int at = 0;
            while (at + 512 <= tar.length && tar[at] != 0) {
                String name = text(tar, at, 100);
                String prefix = text(tar, at + 345, 155);
                String full = prefix.isEmpty() ? name : prefix + "/" + name;
                long size = Long.parseLong(text(tar, at + 124, 12).trim(), 8);
                char type = (char) tar[at + 156];
                if ((type == '0' || type == 0) && (full.equals(path) || full.equals("./" + path))) {
                    return new String(tar, at + 512, (int) size, StandardCharsets.UTF_8);
                }
                at += 512 + (int) ((size + 511) / 512) * 512;
            }
            return null;
        }

        private static String text(byte[] tar, int offset, int length) {
            int end = offset;
            while (end < offset + length && tar[end] != 0) {
                end++;
            }
            return new String(tar, offset, end - offset, StandardCharsets.US_ASCII);
        }
    }

    // --- files -------------------------------------------------------------------------------------------------

}
