package dev.freshen.registry;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.LocalRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a real {@code docker-registry} process (no authentication) and images pushed by docker. */
class RegistryClientIT {

    private static String host;
    private static ImageReference older;
    private static ImageReference latest;
    private final RegistryClient client = new RegistryClient(RegistrySettings.defaults());

    @BeforeAll
    static void publishTwoRevisions() {
        host = LocalRegistry.shared().host();
        older = TestImages.base();
        latest = FixtureImages.publishBase(host, "dotnet/runtime", "10.0");
        assertNotEquals(older.digest(), latest.digest());
    }

    @Test
    void manifestDigestOfATagIsTheDigestDockerPushed() {
        assertEquals(Optional.of(latest.digest()), client.manifestDigest(latest.withDigest(null)));
        assertEquals(Optional.of(older.digest()), client.manifestDigest(older.withTag(null)), "by digest");
    }

    @Test
    void unknownTagsDigestsAndRepositoriesAreEmpty() {
        ImageReference unknownTag = ImageReference.parse(host + "/dotnet/runtime:no-such-tag");
        ImageReference unknownRepository = ImageReference.parse(host + "/no/such-repository:10.0");

        assertEquals(Optional.empty(), client.manifestDigest(unknownTag));
        assertEquals(Optional.empty(), client.manifest(unknownTag));
        assertEquals(Optional.empty(), client.manifestDigest(unknownRepository));
        assertEquals(Optional.empty(), client.manifest(latest.withTag(null)
                .withDigest(Digest.sha256Of("nothing".getBytes(StandardCharsets.UTF_8)))));
        assertEquals(List.of(), client.tags(host, "no/such-repository"));
    }

    @Test
    void manifestIsServedBytesAndDigestExact() {
        Manifest manifest = client.manifest(latest).orElseThrow();

        assertEquals(latest.digest(), manifest.digest());
        assertEquals(latest.digest(), Digest.sha256Of(manifest.content()));
        assertEquals(MediaTypes.DOCKER_MANIFEST, manifest.mediaType());
        assertFalse(manifest.isIndex());
    }

    @Test
    void promotionMountsBlobsPutsTheSameManifestUnderNewTagsAndListsThemPageByPage() {
        String target = "company/runtime-" + UUID.randomUUID().toString().substring(0, 8);
        Manifest manifest = client.manifest(latest).orElseThrow();
        for (Digest blob : TestImages.blobsOf(manifest)) {
            assertFalse(client.blobExists(host, target, blob));
            assertTrue(client.mountBlob(host, "dotnet/runtime", target, blob), "mounted " + blob);
            assertTrue(client.blobExists(host, target, blob));
        }
        List<String> tags = List.of("10.0", "10.0-1.0.0", "10.0-1.1.0", "10.0-1.2.0", "latest");
        for (String tag : tags) {
            assertEquals(latest.digest(), client.putManifest(host, target, tag, manifest));
        }

        assertEquals(Optional.of(latest.digest()), client.manifestDigest(ImageReference.parse(host + "/" + target + ":latest")));
        assertEquals(tags, client.tags(host, target).stream().sorted().toList());
        // distribution 2.8 ignores n on tag lists (it paginates them since v3): a small page size still lists all
        assertEquals(tags, client.tags(host, target, 2).stream().sorted().toList());
        try (ScriptedServer paging = TagPages.over(host)) {
            assertEquals(tags, client.tags(paging.host(), target, 2), "the same tags, page by page");
            assertEquals(List.of("/v2/" + target + "/tags/list?n=2", "/v2/" + target + "/tags/list?last=10.0-1.0.0&n=2",
                            "/v2/" + target + "/tags/list?last=10.0-1.2.0&n=2"),
                    paging.received().stream().map(ScriptedServer.Received::path).toList());
        }
    }

    /**
     * What a manifest delete really removes in the CNCF registry: every tag naming the digest in that repository, none
     * in another repository holding the same manifest; a second delete is a 404 (false).
     */
    @Test
    void deletingAManifestRemovesEveryTagOnItInThatRepositoryOnly() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String staging = "company/runtime-staging-" + suffix;
        String target = "company/runtime-" + suffix;
        TestImages.copy(client, latest, host, staging, "candidate-a");
        TestImages.copy(client, latest, host, staging, "candidate-b");
        TestImages.copy(client, older, host, staging, "candidate-c");
        TestImages.copy(client, latest, host, target, "10.0-1.0.0");

        assertTrue(client.deleteManifest(host, staging, latest.digest()));

        assertEquals(List.of("candidate-c"), client.tags(host, staging), "both tags on the digest went with it");
        assertEquals(Optional.empty(), client.manifest(ImageReference.parse(host + "/" + staging).withDigest(latest.digest())));
        assertEquals(Optional.of(latest.digest()), client.manifestDigest(ImageReference.parse(host + "/" + target + ":10.0-1.0.0")),
                "another repository keeps its tag");
        assertFalse(client.deleteManifest(host, staging, latest.digest()), "already gone");
    }

    @Test
    void mountOfABlobTheSourceLacksIsRefusedAndTheUploadCancelled() {
        Digest absent = Digest.sha256Of(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        long before = client.stats().forHost(host).requests();

        assertFalse(client.mountBlob(host, "dotnet/runtime", "company/mount-refused", absent));
        assertEquals(2, client.stats().forHost(host).requests() - before, "the POST and the DELETE of its session");
        assertFalse(client.blobExists(host, "company/mount-refused", absent));
    }

    @Test
    void imageConfigHasTheFixturesLabelsUserAndEnvironment() {
        ImageConfig config = client.imageConfig(latest.withDigest(null));
        Digest configDigest = TestImages.blobsOf(client.manifest(latest).orElseThrow()).get(0);

        assertEquals("Freshen fixture base", config.labels().get("org.opencontainers.image.title"));
        assertEquals("", config.user(), "the fixture sets no USER");
        assertTrue(config.env().contains("APP_UID=1654"), config.env().toString());
        assertTrue(config.env().contains("PATH=/bin"), config.env().toString());
        assertEquals(configDigest, config.configDigest());
    }

    @Test
    void imageConfigOfAnIndexReadsTheConfiguredPlatform() {
        String index = """
                {"schemaVersion":2,"mediaType":"%s","manifests":[
                 {"mediaType":"%s","digest":"%s","size":%d,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
                 {"mediaType":"%s","digest":"%s","size":%d,"platform":{"os":"linux","architecture":"amd64"}}]}"""
                .formatted(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST, older.digest(), size(older),
                        MediaTypes.DOCKER_MANIFEST, latest.digest(), size(latest));
        Manifest put = Manifest.of(MediaTypes.OCI_INDEX, index.getBytes(StandardCharsets.UTF_8));
        assertEquals(put.digest(), client.putManifest(host, "dotnet/runtime", "multi", put));
        ImageReference multi = ImageReference.parse(host + "/dotnet/runtime:multi");

        assertEquals(Optional.of(put.digest()), client.manifestDigest(multi));
        assertTrue(client.manifest(multi).orElseThrow().isIndex());
        assertEquals(client.imageConfig(latest).configDigest(), client.imageConfig(multi).configDigest(), "linux/amd64");
        Digest olderConfig = client.imageConfig(older).configDigest();
        assertNotEquals(olderConfig, client.imageConfig(latest).configDigest());
        assertEquals(olderConfig, new RegistryClient(RegistrySettings.defaults().withPlatform("linux/arm64"))
                .imageConfig(multi).configDigest());
        assertEquals(olderConfig, new RegistryClient(RegistrySettings.defaults().withPlatform("linux/s390x"))
                .imageConfig(multi).configDigest(), "no match: the first entry");
    }

    @Test
    void imageConfigOfAMissingImageIs404() {
        RegistryException e = assertThrows(RegistryException.class,
                () -> client.imageConfig(ImageReference.parse(host + "/dotnet/runtime:no-such-tag")));

        assertEquals(404, e.status());
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains("dotnet/runtime:no-such-tag"), e.getMessage());
    }

    @Test
    void blobsAreVerifiedAndUnknownBlobsAre404() {
        Digest config = TestImages.blobsOf(client.manifest(latest).orElseThrow()).get(0);
        byte[] blob = client.blob(host, "dotnet/runtime", config);

        assertEquals(config, Digest.sha256Of(blob));
        RegistryException e = assertThrows(RegistryException.class, () -> client.blob(host, "dotnet/runtime",
                Digest.sha256Of("absent".getBytes(StandardCharsets.UTF_8))));
        assertEquals(404, e.status());
        assertEquals("BLOB_UNKNOWN", e.code());
    }

    @Test
    void pushBlobUploadsOnceAndReadsBack() {
        byte[] content = ("freshen " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        Digest digest = client.pushBlob(host, "company/uploads", content);

        assertArrayEquals(content, client.blob(host, "company/uploads", digest));
        long before = client.stats().forHost(host).requests();
        assertEquals(digest, client.pushBlob(host, "company/uploads", content));
        assertEquals(1, client.stats().forHost(host).requests() - before, "only the HEAD: it is there already");
    }

    @Test
    void statsCountRequestsAndBytesPerHost() {
        RegistryClient fresh = new RegistryClient(RegistrySettings.defaults());
        fresh.manifestDigest(latest);
        assertEquals(new RegistryStats(1, 0, 0), fresh.stats().forHost(host));

        Manifest manifest = fresh.manifest(latest).orElseThrow();
        fresh.putManifest(host, "dotnet/runtime", "stats", manifest);
        RegistryStats stats = fresh.stats();

        assertEquals(3, stats.requests());
        assertEquals(stats.requests(), stats.forHost(host).requests());
        assertTrue(stats.bytesReceived() >= manifest.content().length, stats.toString());
        assertEquals(manifest.content().length, stats.bytesSent());
    }

    private long size(ImageReference ref) {
        return client.manifest(ref).orElseThrow().content().length;
    }
}
