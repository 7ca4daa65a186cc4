package dev.freshen.watcher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.ecr.EcrCredentials;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.config.RegistriesConfig;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.MultiArchBase;
import dev.freshen.testing.MultiArchBase.Published;
import dev.freshen.testing.MultiArchBase.Variant;
import dev.freshen.testing.QuirkProfile;
import dev.freshen.testing.RegistryQuirkProxy;
import dev.freshen.watcher.registry.OciImageRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registry quirk matrix, detection: the watcher's real {@link ImageChecker} with {@link OciImageRegistry} and a
 * {@link RegistryClient} built from the {@code freshen.registries} settings as the service builds it, against every
 * {@link QuirkProfile} ({@link RegistryQuirkProxy} in front of one real registry). The base
 * {@code <proxy>/dotnet/runtime:10.0} is a {@link MultiArchBase} index (linux/amd64, linux/arm64, a BuildKit
 * attestation), the platform image's published versions live in the same proxied registry. Runs are collected by a
 * fake {@link RunStarter} instead of Kafka.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryQuirksDetectionIT {

    private static final String BASE_REPOSITORY = "dotnet/runtime";
    private static final String BASE_TAG = "10.0";
    private static final String BASE_MANIFESTS = "/v2/dotnet/runtime/manifests/.*";

    private LocalRegistry backend;
    private MultiArchBase fixture;
    private final Map<QuirkProfile, RegistryQuirkProxy> proxies = new EnumMap<>(QuirkProfile.class);
    private RegistryClient client;
    @TempDir
    Path root;

    @BeforeAll
    void start() {
        backend = LocalRegistry.start();
        fixture = new MultiArchBase(backend.host(), BASE_REPOSITORY);
        Map<String, String> settings = new HashMap<>(Map.of(
                "freshen.registries.max-attempts", "3",
                "freshen.registries.initial-backoff", "100ms",
                "freshen.registries.max-backoff", "1s"));
        for (QuirkProfile profile : QuirkProfile.values()) {
            RegistryQuirkProxy proxy = RegistryQuirkProxy.start(profile, backend.baseUri());
            proxies.put(profile, proxy);
            settings.putAll(proxy.credentialSettings());
        }
        RegistriesConfig registries = new SmallRyeConfigBuilder().addDiscoveredConverters()
                .withMapping(RegistriesConfig.class, "freshen.registries")
                .withSources(new PropertiesConfigSource(settings, "test", 400))
                .build().getConfigMapping(RegistriesConfig.class, "freshen.registries");
        // as WatcherBeans.registryClient
        client = new RegistryClient(registries.settings(), registries.credentialsChain(EcrCredentials.of(registries)));
    }

    @AfterAll
    void stop() {
        proxies.values().forEach(RegistryQuirkProxy::close);
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest
    @EnumSource(QuirkProfile.class)
    void neverPublishedStartsARun(QuirkProfile profile) throws IOException {
        RegistryQuirkProxy proxy = proxy(profile);
        fixture.publish(BASE_TAG, Variant.initial());
        Watch watch = watch(proxy, "never");

        CheckOutcome outcome = watch.checker.check(watch.imageId);

        assertEquals(CheckOutcome.Result.RUN_STARTED, outcome.result(), profile + ": " + outcome.message());
        assertEquals(1, watch.started.size(), profile + ": " + watch.started);
    }

    @ParameterizedTest
    @EnumSource(QuirkProfile.class)
    void publishedFromTheAmd64ManifestIsUpToDateAndAnUnchangedCheckIsOneManifestRequest(QuirkProfile profile)
            throws IOException {
        RegistryQuirkProxy proxy = proxy(profile);
        Published base = fixture.publish(BASE_TAG, Variant.initial());
        Watch watch = watch(proxy, "current");
        publishVersion(proxy, watch.target, base);

        CheckOutcome first = watch.checker.check(watch.imageId);
        assertEquals(CheckOutcome.Result.UP_TO_DATE, first.result(), profile + ": " + first.message());
        assertEquals(Map.of(baseReference(proxy).toString(), base.manifest(MultiArchBase.AMD64).toString()),
                first.upstreamDigests(), profile + ": the amd64 manifest's digest, not the index's");

        proxy.clearRequests();
        CheckOutcome again = watch.checker.check(watch.imageId);

        assertEquals(CheckOutcome.Result.UP_TO_DATE, again.result(), profile + ": " + again.message());
        assertEquals(List.of(), watch.started, profile.toString());
        assertOneManifestRequest(proxy, profile == QuirkProfile.HARBOR ? "GET" : "HEAD");
    }

    @Test
    void aBaseWhoseHeadIsRefusedWith400IsCheckedWithOneGet() throws IOException {
        try (RegistryQuirkProxy proxy = RegistryQuirkProxy.start(QuirkProfile.HARBOR, backend.baseUri())) {
            proxy.headStatus(400);
            Published base = fixture.publish(BASE_TAG, Variant.initial());
            Watch watch = watch(proxy, "head400");
            publishVersion(proxy, watch.target, base);
            assertEquals(CheckOutcome.Result.UP_TO_DATE, watch.checker.check(watch.imageId).result());

            proxy.clearRequests();
            assertEquals(CheckOutcome.Result.UP_TO_DATE, watch.checker.check(watch.imageId).result());

            assertOneManifestRequest(proxy, "GET");
        }
    }

    @ParameterizedTest
    @EnumSource(QuirkProfile.class)
    void aRollOutThatLeavesAmd64AloneStartsNoRun(QuirkProfile profile) throws IOException {
        RegistryQuirkProxy proxy = proxy(profile);
        Published base = fixture.publish(BASE_TAG, Variant.initial());
        Watch watch = watch(proxy, "others");
        publishVersion(proxy, watch.target, base);

        Published arm64 = fixture.publish(BASE_TAG, Variant.initial().withArm64("I2"));
        assertEquals(base.manifest(MultiArchBase.AMD64), arm64.manifest(MultiArchBase.AMD64), "the fixture's amd64 stays");
        CheckOutcome afterArm64 = watch.checker.check(watch.imageId);
        Published attestation = fixture.publish(BASE_TAG, Variant.initial().withArm64("I2").withAttestation("S2"));
        CheckOutcome afterAttestation = watch.checker.check(watch.imageId);
        fixture.publish(BASE_TAG, Variant.initial().withArm64("I2").withAttestation(null));
        CheckOutcome withoutAttestation = watch.checker.check(watch.imageId);

        assertTrue(!arm64.digest().equals(base.digest()) && !attestation.digest().equals(arm64.digest()),
                "each roll-out moved the index");
        assertEquals(CheckOutcome.Result.UP_TO_DATE, afterArm64.result(), profile + ": " + afterArm64.message());
        assertEquals(CheckOutcome.Result.UP_TO_DATE, afterAttestation.result(), profile + ": " + afterAttestation.message());
        assertEquals(CheckOutcome.Result.UP_TO_DATE, withoutAttestation.result(), profile + ": " + withoutAttestation.message());
        assertEquals(List.of(), watch.started, profile + ": no run");
    }

    @ParameterizedTest
    @EnumSource(QuirkProfile.class)
    void anAmd64ChangeStartsARunNamingLinuxAmd64(QuirkProfile profile) throws IOException {
        RegistryQuirkProxy proxy = proxy(profile);
        Published base = fixture.publish(BASE_TAG, Variant.initial());
        Watch watch = watch(proxy, "amd64");
        publishVersion(proxy, watch.target, base);
        Published changed = fixture.publish(BASE_TAG, Variant.initial().withAmd64("A2"));

        CheckOutcome outcome = watch.checker.check(watch.imageId);

        assertEquals(CheckOutcome.Result.RUN_STARTED, outcome.result(), profile + ": " + outcome.message());
        assertTrue(outcome.message().contains("(linux/amd64)"), profile + ": " + outcome.message());
        assertEquals(1, watch.started.size(), profile + ": " + watch.started);
        BaseImageUpdated event = assertInstanceOf(BaseImageUpdated.class, watch.started.get(0));
        assertEquals(changed.manifest(MultiArchBase.AMD64), event.baseImages().get(0).digest(), profile.toString());
        assertEquals(base.manifest(MultiArchBase.AMD64), event.baseImages().get(0).previousDigest(), profile.toString());
        assertEquals(Platform.LINUX_AMD64, event.baseImages().get(0).platform(), profile.toString());
    }

    private RegistryQuirkProxy proxy(QuirkProfile profile) {
        RegistryQuirkProxy proxy = proxies.get(profile);
        if (profile == QuirkProfile.DOCKER_HUB) {
            proxy.pullLimit(RegistryQuirkProxy.DOCKER_HUB_ANONYMOUS_LIMIT);
        }
        return proxy;
    }

    /** One manifest request for the base since the last {@code clearRequests}, with {@code method}. */
    private static void assertOneManifestRequest(RegistryQuirkProxy proxy, String method) {
        List<RegistryQuirkProxy.Request> manifests = proxy.requests().stream()
                .filter(r -> r.path().matches(BASE_MANIFESTS)).toList();
        assertEquals(1, manifests.size(), proxy.profile() + ": one manifest request for the unchanged base: " + manifests);
        assertEquals(method, manifests.get(0).method(), proxy.profile() + ": " + manifests);
        assertEquals(200, manifests.get(0).status(), proxy.profile() + ": " + manifests);
    }

    /** A platform image FROM the proxied base, target {@code platform/<case>-<profile>/runtime} in the proxied registry. */
    private record Watch(ImageChecker checker, String imageId, String target, List<FreshenEvent> started) {
    }

    private Watch watch(RegistryQuirkProxy proxy, String caseName) throws IOException {
        String profile = proxy.profile().id();
        String imageId = caseName + "-" + profile + "/runtime";
        String target = "platform/" + imageId;
        Path images = root.resolve(caseName + "-" + profile);
        Path folder = Files.createDirectories(images.resolve(imageId));
        Files.writeString(folder.resolve("Dockerfile"), "FROM " + baseReference(proxy) + "\nUSER 1654\n");
        Files.writeString(folder.resolve("platform-image.yaml"),
                "target: {repository: " + target + ", tagPrefix: \"10.0\", extraTags: [latest]}\n");
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(images).scan();
        RunLedger ledger = new RunLedger();
        ledger.markComplete();
        List<FreshenEvent> started = new ArrayList<>();
        ImageChecker checker = new ImageChecker(() -> scan, new OciImageRegistry(client, proxy.host()), ledger,
                started::add, Clock.systemUTC(), Platform.LINUX_AMD64);
        return new Watch(checker, imageId, target, started);
    }

    private static ImageReference baseReference(RegistryQuirkProxy proxy) {
        return new ImageReference(proxy.host(), BASE_REPOSITORY, BASE_TAG, null);
    }

    /**
     * Pushes, through the proxy, version {@code 10.0-1.0.0} of {@code target}: a small linux/amd64 image labelled as
     * the builder labels it, built from the base's amd64 manifest.
     */
    private void publishVersion(RegistryQuirkProxy proxy, String target, Published base) {
        byte[] tar = new byte[1024]; // an empty tar: two zero blocks
        Digest diffId = Digest.sha256Of(tar);
        byte[] layer = gzip(tar);
        String label = ImageLabels.baseImagesValue(List.of(baseReference(proxy).withDigest(base.manifest(MultiArchBase.AMD64))));
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\""
                + ImageLabels.BASE_IMAGES + "\":\"" + label + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = client.pushBlob(proxy.host(), target, config);
        Digest layerDigest = client.pushBlob(proxy.host(), target, layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MultiArchBase.MANIFEST_TYPE + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        client.putManifest(proxy.host(), target, "10.0-1.0.0", Manifest.of(MultiArchBase.MANIFEST_TYPE, manifest));
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
