package dev.freshen.publisher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.ecr.setup.Encryption;
import dev.freshen.ecr.setup.LayoutSettings;
import dev.freshen.ecr.setup.TagMutability;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import dev.freshen.publisher.ecr.EcrSettings;
import dev.freshen.publisher.ecr.EcrTargetRegistry;
import dev.freshen.publisher.registry.OciTargetRegistry;
import dev.freshen.registry.Credentials;
import dev.freshen.registry.ImageConfig;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.HtpasswdRegistry;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.MultiArchBase;
import dev.freshen.testing.RegistryProcess;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promotion of a multi-platform image without Docker: the candidate is an OCI image index ({@link MultiArchBase}:
 * busybox for linux/amd64 and linux/arm64, plus a BuildKit-style attestation manifest) staged in one registry, and the
 * publish stage brings it into another: a second CNCF registry (every blob copied between registries) and ECR (the
 * ECR double, copied in with the ECR token, tags put with {@code PutImage}). Each time: the published digest is the
 * candidate's, the index bytes are unchanged, every platform image and its blobs are there (each config read back
 * names its architecture), {@code latest} moves to the second run's index, and retention (one version kept) deletes
 * the first index and then its arm64 image, while the amd64 image, which the second index lists too, stays.
 */
class IndexPromotionIT {

    private static final String PREFIX = "10.0-noble";
    private static final Platform AMD64 = Platform.LINUX_AMD64;
    private static final Platform ARM64 = Platform.parse("linux/arm64");
    private static final String KEY = "AKIAFRESHENINDEX0001";
    private static final String SECRET = "index/" + UUID.randomUUID();
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    private static LocalRegistry staging;
    private static RegistryProcess target;
    private static HtpasswdRegistry ecrBackend;
    private static EcrApiServer ecr;
    private static RegistryClient client;

    @BeforeAll
    static void start() {
        staging = LocalRegistry.shared();
        target = RegistryProcess.start(RegistryProcess.newDirectory("freshen-index-target-"), "");
        ecrBackend = HtpasswdRegistry.start("AWS", PASSWORD);
        ecr = EcrApiServer.start(ecrBackend, "AWS", PASSWORD, KEY, SECRET);
        client = new RegistryClient(RegistrySettings.defaults().withCredentials(ecr.registryHost(),
                new Credentials("AWS", PASSWORD)));
    }

    @AfterAll
    static void stop() {
        if (ecr != null) {
            ecr.close();
        }
        if (ecrBackend != null) {
            ecrBackend.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void anIndexIsPromotedIntoAnotherRegistryByDigestWithItsPlatformImagesAndBlobs(@TempDir Path root) throws IOException {
        descriptor(root, "platform/index-oci");
        PublishStage stage = new PublishStage(new PlatformImageCatalog(root)::scan,
                new OciTargetRegistry(client, target.host()), settings(), Clock.systemUTC());
        promoteTwice(stage, target.host(), "platform/index-oci");
    }

    @Test
    void anIndexIsPromotedIntoEcrByDigestWithItsPlatformImagesAndBlobs(@TempDir Path root) throws IOException {
        descriptor(root, "platform/index-ecr");
        ecr.createRepository("platform/index-ecr", "MUTABLE", List.of(), false);
        try (EcrClient api = EcrClient.builder().region(Region.US_EAST_1).endpointOverride(ecr.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             EcrTargetRegistry registry = new EcrTargetRegistry(api, ecr.registryHost(),
                     new EcrSettings(EcrApiServer.ACCOUNT_ID), new LayoutSettings(TagMutability.MUTABLE, List.of(),
                     false, Encryption.AES256, LayoutSettings.DEFAULT_STAGING, 7),
                     () -> new PlatformImageCatalog(root).scan().images().values(), RegistrySettings.defaults(),
                     Clock.systemUTC())) {
            PublishStage stage = new PublishStage(new PlatformImageCatalog(root)::scan, registry, settings(),
                    Clock.systemUTC());
            promoteTwice(stage, ecr.registryHost(), "platform/index-ecr");
        }
    }

    /** Two runs of {@code fixture/index} into {@code host}: the second moves latest; retention keeps one version. */
    private static void promoteTwice(PublishStage stage, String host, String repository) {
        String stagingRepository = "staging/index-" + UUID.randomUUID().toString().substring(0, 8);
        MultiArchBase candidates = new MultiArchBase(staging.host(), stagingRepository);

        MultiArchBase.Published one = candidates.publish("candidate-1", MultiArchBase.Variant.initial());
        ImagePublished first = publish(stage, one);
        assertPromoted(host, repository, one, first);
        assertEquals("1.0.0", first.version());

        // only the arm64 image changes: the amd64 image (and the attestation about it) is listed by both indexes
        MultiArchBase.Published two = candidates.publish("candidate-2", MultiArchBase.Variant.initial().withArm64("I2"));
        ImagePublished second = publish(stage, two);
        assertPromoted(host, repository, two, second);
        assertEquals("1.1.0", second.version());
        assertEquals(Optional.of(two.digest()), client.manifestDigest(ref(host, repository + ":latest")), "latest moved");

        assertEquals(Set.of(PREFIX + "-1.1.0", "latest"), new TreeSet<>(client.tags(host, repository)),
                "retention (one version) deleted 1.0.0");
        assertTrue(client.manifest(ref(host, repository + "@" + one.digest())).isEmpty(), "the first index is deleted");
        assertTrue(client.manifest(ref(host, repository + "@" + one.manifest(MultiArchBase.ARM64))).isEmpty(),
                "its arm64 image, which no index left lists, is deleted after it");
        assertEquals(one.manifest(MultiArchBase.AMD64), two.manifest(MultiArchBase.AMD64));
        assertTrue(client.manifest(ref(host, repository + "@" + one.manifest(MultiArchBase.AMD64))).isPresent(),
                "the amd64 image stays: the second index lists it too");
        assertTrue(client.manifest(ref(host, repository + "@" + one.manifest(MultiArchBase.ATTESTATION))).isPresent(),
                "the attestation stays: the second index lists it too");
    }

    private static ImagePublished publish(PublishStage stage, MultiArchBase.Published candidate) {
        String runId = SampleEvents.runId();
        ImageVerified verified = CandidateImages.verified(runId, "fixture/index", candidate.reference())
                .withManifests(List.of(new PlatformDigest(AMD64, candidate.manifest(MultiArchBase.AMD64)),
                        new PlatformDigest(ARM64, candidate.manifest(MultiArchBase.ARM64))));
        ImagePublished published = assertInstanceOf(ImagePublished.class, stage.publish(verified));
        assertEquals(verified.manifests(), published.manifests());
        return published;
    }

    /** The published tags name the candidate's index, its bytes unchanged, with every platform image readable. */
    private static void assertPromoted(String host, String repository, MultiArchBase.Published candidate,
                                       ImagePublished published) {
        assertEquals(candidate.digest(), published.digest(), "the published digest is the candidate's");
        for (String tag : published.tags()) {
            assertEquals(Optional.of(candidate.digest()), client.manifestDigest(ref(host, repository + ":" + tag)), tag);
        }
        Manifest staged = client.manifest(candidate.reference().byDigestOnly()).orElseThrow();
        Manifest promoted = client.manifest(ref(host, repository + "@" + candidate.digest())).orElseThrow();
        assertTrue(promoted.isIndex(), promoted.mediaType());
        assertArrayEquals(staged.content(), promoted.content(), "the index bytes are unchanged");
        for (Platform platform : List.of(AMD64, ARM64)) {
            ImageConfig config = client.imageConfigFor(ref(host, repository + ":" + published.tags().get(0)), platform)
                    .orElseThrow(() -> new AssertionError("no " + platform + " image in " + published.image()));
            assertEquals(platform.architecture(), config.architecture(), "the config of the " + platform + " image");
        }
        Digest attestation = candidate.manifest(MultiArchBase.ATTESTATION);
        assertTrue(client.manifest(ref(host, repository + "@" + attestation)).isPresent(), "the attestation came along");
        for (String platform : List.of(MultiArchBase.AMD64, MultiArchBase.ARM64)) {
            Manifest image = client.manifest(ref(host, repository + "@" + candidate.manifest(platform))).orElseThrow();
            String json = new String(image.content(), java.nio.charset.StandardCharsets.UTF_8);
            for (String digest : Arrays.stream(json.split("\"digest\":\"")).skip(1).map(p -> p.substring(0, 71)).toList()) {
                assertTrue(client.blobExists(host, repository, Digest.parse(digest)), platform + " blob " + digest);
            }
        }
    }

    private static PublishSettings settings() {
        return new PublishSettings(new RetryPolicy(2, Duration.ZERO, Duration.ZERO), 4);
    }

    private static ImageReference ref(String host, String rest) {
        return ImageReference.parse(host + "/" + rest);
    }

    private static void descriptor(Path root, String repository) throws IOException {
        Path dir = Files.createDirectories(root.resolve("fixture/index"));
        Files.writeString(dir.resolve("Dockerfile"), "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
        Files.writeString(dir.resolve("platform-image.yaml"), "platforms: [linux/amd64, linux/arm64]\n"
                + "target: {repository: " + repository + ", tagPrefix: " + PREFIX
                + ", extraTags: [latest], retention: {keepVersions: 1}}\n");
    }
}
