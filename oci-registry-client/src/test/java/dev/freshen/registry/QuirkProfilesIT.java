package dev.freshen.registry;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.MultiArchBase;
import dev.freshen.testing.MultiArchBase.Published;
import dev.freshen.testing.MultiArchBase.Variant;
import dev.freshen.testing.QuirkProfile;
import dev.freshen.testing.RegistryQuirkProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry client against each registry product's habits ({@link RegistryQuirkProxy} in front of a real registry
 * holding a multi-arch base): resolves a manifest digest, lists tags, reads a blob and an image config through the
 * index, and copies an image (blobs + manifest). Tests disabled with a reason wait for the branch that teaches the
 * client that habit.
 */
class QuirkProfilesIT {

    private static final String REPOSITORY = "dotnet/runtime";
    private static final List<String> TAGS = List.of("10.0", "10.0.1", "10.0.2", "10.0.3", "10.0.4", "10.0.5");

    private static LocalRegistry backend;
    private static Published base;

    @BeforeAll
    static void seed() {
        backend = LocalRegistry.start();
        MultiArchBase fixture = new MultiArchBase(backend.host(), REPOSITORY);
        base = fixture.publish("10.0", Variant.initial());
        for (String tag : TAGS.subList(1, TAGS.size())) {
            fixture.publishSingle(tag, "A1");
        }
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void mcr() {
        exercise(QuirkProfile.MCR);
    }

    @Test
    void dockerHub() {
        exercise(QuirkProfile.DOCKER_HUB, hub ->
                assertTrue(hub.count("GET", "/token") >= 2, "a pull token and a push token: " + hub.requests()));
    }

    @Test
    void ghcr() {
        exercise(QuirkProfile.GHCR);
    }

    @Test
    void quayTagPagesFollowTheOpaqueNextPageLink() {
        exercise(QuirkProfile.QUAY, quay -> {
            quay.clearRequests();
            assertEquals(TAGS, client(quay).tags(quay.host(), REPOSITORY, 2).stream().sorted().toList());
            assertEquals(3, quay.count("GET", "/v2/dotnet/runtime/tags/list"), "three pages of two: " + quay.requests());
        });
    }

    @Test
    void harborHeadWithoutDigestIsResolvedWithAGet() {
        exercise(QuirkProfile.HARBOR, harbor -> {
            harbor.clearRequests();
            assertEquals(Optional.of(base.digest()), client(harbor).manifestDigest(reference(harbor, "10.0")));
            assertEquals(List.of("HEAD", "GET"), harbor.requests().stream().map(RegistryQuirkProxy.Request::method).toList());
        });
    }

    @Test
    void artifactory() {
        exercise(QuirkProfile.ARTIFACTORY);
    }

    @Test
    void ecr() {
        exercise(QuirkProfile.ECR);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 405, 501})
    void headRefusedFallsBackToGet(int status) {
        try (RegistryQuirkProxy proxy = RegistryQuirkProxy.start(QuirkProfile.MCR, backend.baseUri())) {
            proxy.headStatus(status);
            assertEquals(Optional.of(base.digest()), client(proxy).manifestDigest(reference(proxy, "10.0")));
        }
    }

    @Test
    void a429ThatDoesNotEndIsATransientFailureAfterTheRetries() {
        try (RegistryQuirkProxy proxy = RegistryQuirkProxy.start(QuirkProfile.MCR, backend.baseUri())) {
            proxy.tooManyRequestsAfter(0);
            RegistryException e = assertThrows(RegistryException.class,
                    () -> client(proxy).manifestDigest(reference(proxy, "10.0")));
            assertEquals(429, e.status());
            assertTrue(e.isTransient());
            assertEquals(2, proxy.count("HEAD", "/v2/dotnet/runtime/manifests/10\\.0"), "both attempts: " + proxy.requests());
        }
    }

    private static void exercise(QuirkProfile profile) {
        exercise(profile, proxy -> {
        });
    }

    /** Runs the client's everyday operations through a proxy playing {@code profile}, then {@code then}. */
    private static void exercise(QuirkProfile profile, Consumer<RegistryQuirkProxy> then) {
        try (RegistryQuirkProxy proxy = RegistryQuirkProxy.start(profile, backend.baseUri())) {
            RegistryClient client = client(proxy);
            ImageReference index = reference(proxy, "10.0");

            assertEquals(Optional.of(base.digest()), client.manifestDigest(index));
            assertTrue(client.tags(proxy.host(), REPOSITORY).containsAll(TAGS), profile.name());
            Manifest amd64 = client.manifest(index.withDigest(base.manifest(MultiArchBase.AMD64))).orElseThrow();
            Digest config = TestImages.blobsOf(amd64).get(0);
            assertEquals(config, Digest.sha256Of(client.blob(proxy.host(), REPOSITORY, config)));
            assertEquals("A1", client.imageConfig(index).labels().get("dev.freshen.fixture.revision"), "linux/amd64 of the index");

            Digest copied = TestImages.copy(client, reference(proxy, "10.0.1"), proxy.host(), "platform/runtime", "1.0.0");
            assertEquals(base.manifest(MultiArchBase.AMD64), copied, "10.0.1 is the index's amd64 image");
            byte[] blob = ("blob of " + profile).getBytes(StandardCharsets.UTF_8);
            Digest pushed = client.pushBlob(proxy.host(), "platform/runtime", blob);
            assertArrayEquals(blob, client.blob(proxy.host(), "platform/runtime", pushed));
            assertEquals(Optional.of(copied), client.manifestDigest(
                    new ImageReference(proxy.host(), "platform/runtime", "1.0.0", null)));
            then.accept(proxy);
        }
    }

    private static ImageReference reference(RegistryQuirkProxy proxy, String tag) {
        return new ImageReference(proxy.host(), REPOSITORY, tag, null);
    }

    private static RegistryClient client(RegistryQuirkProxy proxy) {
        return new RegistryClient(RegistrySettings.defaults()
                .withCredentials(proxy.host(), new Credentials(proxy.username(), proxy.password()))
                .withRetries(2, Duration.ofMillis(50)));
    }
}
