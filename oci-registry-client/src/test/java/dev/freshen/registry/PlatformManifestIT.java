package dev.freshen.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.testing.LocalRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RegistryClient#platformManifest} against the real CNCF registry: image indexes as vendors publish them
 * (linux/amd64, linux/arm64/v8, a BuildKit attestation manifest), roll-outs that move one platform, and plain
 * single-platform manifests.
 */
class PlatformManifestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Platform AMD64 = Platform.LINUX_AMD64;
    private static final Platform ARM64 = Platform.parse("linux/arm64");

    private static String host;
    private static Manifest amd64;
    private static Manifest arm64;
    private static Manifest arm64Next;
    private static Manifest attestation;

    private final RegistryClient client = new RegistryClient(RegistrySettings.defaults());
    private final String repository = "dotnet/runtime-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void platformImages() throws Exception {
        host = LocalRegistry.shared().host();
        RegistryClient client = new RegistryClient(RegistrySettings.defaults());
        ImageReference base = TestImages.base();
        amd64 = client.manifest(base).orElseThrow();
        arm64 = variant(client, base, "arm64", "v8", "1");
        arm64Next = variant(client, base, "arm64", "v8", "2");
        attestation = attestationFor(client, base, amd64.digest());
    }

    /** The base's image manifest with a config for another architecture (same layers: never run here). */
    private static Manifest variant(RegistryClient client, ImageReference base, String architecture, String variant,
                                    String revision) throws Exception {
        ObjectNode manifest = (ObjectNode) JSON.readTree(amd64.content());
        Digest configDigest = Digest.parse(manifest.path("config").path("digest").asText());
        ObjectNode config = (ObjectNode) JSON.readTree(client.blob(base.registry(), base.repository(), configDigest));
        config.put("architecture", architecture).put("variant", variant);
        ((ObjectNode) config.with("config").with("Labels")).put("revision", revision);
        byte[] configBytes = JSON.writeValueAsBytes(config);
        Digest pushed = client.pushBlob(base.registry(), base.repository(), configBytes);
        ((ObjectNode) manifest.path("config")).put("digest", pushed.toString()).put("size", configBytes.length);
        Manifest result = Manifest.of(amd64.mediaType(), JSON.writeValueAsBytes(manifest));
        client.putManifest(base.registry(), base.repository(), result.digest().toString(), result);
        return result;
    }

    /** An attestation manifest as BuildKit attaches it: an in-toto layer, referring to {@code subject}. */
    private static Manifest attestationFor(RegistryClient client, ImageReference base, Digest subject) throws Exception {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] statement = ("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"subject\":[{\"digest\":{\"sha256\":\""
                + subject.hex() + "\"}}]}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = client.pushBlob(base.registry(), base.repository(), config);
        Digest statementDigest = client.pushBlob(base.registry(), base.repository(), statement);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", configDigest.toString()).put("size", config.length);
        manifest.putArray("layers").addObject().put("mediaType", "application/vnd.in-toto+json")
                .put("digest", statementDigest.toString()).put("size", statement.length)
                .putObject("annotations").put("in-toto.io/predicate-type", "https://slsa.dev/provenance/v0.2");
        Manifest result = Manifest.of(MediaTypes.OCI_MANIFEST, JSON.writeValueAsBytes(manifest));
        client.putManifest(base.registry(), base.repository(), result.digest().toString(), result);
        return result;
    }

    /** Puts an index of {@code manifests} (image, os, architecture, variant or null; attestations by null os) as tag. */
    private Digest index(String tag, Object[]... entries) throws Exception {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Object[] entry : entries) {
            Manifest manifest = (Manifest) entry[0];
            ImageReference source = TestImages.base();
            copyInto(source, manifest);
            ObjectNode descriptor = manifests.addObject().put("mediaType", manifest.mediaType())
                    .put("digest", manifest.digest().toString()).put("size", manifest.content().length);
            if (entry[1] == null) {
                descriptor.putObject("platform").put("os", "unknown").put("architecture", "unknown");
                descriptor.putObject("annotations").put("vnd.docker.reference.type", "attestation-manifest")
                        .put("vnd.docker.reference.digest", amd64.digest().toString());
            } else {
                ObjectNode platform = descriptor.putObject("platform").put("os", (String) entry[1])
                        .put("architecture", (String) entry[2]);
                if (entry[3] != null) {
                    platform.put("variant", (String) entry[3]);
                }
            }
        }
        Manifest manifest = Manifest.of(MediaTypes.OCI_INDEX, JSON.writeValueAsBytes(index));
        return client.putManifest(host, repository, tag, manifest);
    }

    private void copyInto(ImageReference source, Manifest manifest) {
        for (Digest blob : TestImages.blobsOf(manifest)) {
            if (!client.mountBlob(host, source.repository(), repository, blob)) {
                client.pushBlob(host, repository, client.blob(host, source.repository(), blob));
            }
        }
        client.putManifest(host, repository, manifest.digest().toString(), manifest);
    }

    private ImageReference tag(String tag) {
        return new ImageReference(host, repository, tag, null);
    }

    @Test
    void anIndexResolvesToEachPlatformsManifestAndLeavesAttestationsOut() throws Exception {
        Digest index = index("10.0", new Object[]{amd64, "linux", "amd64", null},
                new Object[]{arm64, "linux", "arm64", "v8"}, new Object[]{attestation, null, null, null});

        PlatformManifest forAmd64 = client.platformManifest(tag("10.0"), AMD64).orElseThrow();
        PlatformManifest forArm64 = client.platformManifest(tag("10.0"), ARM64).orElseThrow();

        assertEquals(index, forAmd64.tagDigest());
        assertEquals(amd64.digest(), forAmd64.digest());
        assertEquals(arm64.digest(), forArm64.digest(), "linux/arm64 matches linux/arm64/v8");
        assertTrue(forAmd64.isIndex());
        assertEquals(List.of(AMD64, ARM64), forAmd64.platforms(), "the attestation is no platform");
    }

    @Test
    void anotherPlatformMovingOrAnAttestationArrivingLeavesOurPlatformsManifestWhereItWas() throws Exception {
        Digest i1 = index("10.0", new Object[]{amd64, "linux", "amd64", null}, new Object[]{arm64, "linux", "arm64", "v8"});
        Digest before = client.platformManifest(tag("10.0"), AMD64).orElseThrow().digest();

        Digest i2 = index("10.0", new Object[]{amd64, "linux", "amd64", null}, new Object[]{arm64Next, "linux", "arm64", "v8"});
        PlatformManifest afterArm64 = client.platformManifest(tag("10.0"), AMD64).orElseThrow();
        Digest i3 = index("10.0", new Object[]{amd64, "linux", "amd64", null}, new Object[]{arm64Next, "linux", "arm64", "v8"},
                new Object[]{attestation, null, null, null});
        PlatformManifest afterAttestation = client.platformManifest(tag("10.0"), AMD64).orElseThrow();

        assertFalse(i1.equals(i2) || i2.equals(i3), "the index digest moved each time");
        assertEquals(before, afterArm64.digest());
        assertEquals(before, afterAttestation.digest());
        assertEquals(i3, afterAttestation.tagDigest());
        assertEquals(arm64Next.digest(), client.platformManifest(tag("10.0"), ARM64).orElseThrow().digest());
    }

    @Test
    void anUnchangedCheckCostsOneRequestOnceTheIndexWasRead() throws Exception {
        index("10.0", new Object[]{amd64, "linux", "amd64", null}, new Object[]{arm64, "linux", "arm64", "v8"});
        client.platformManifest(tag("10.0"), AMD64);
        long before = client.stats().requests();

        client.platformManifest(tag("10.0"), AMD64);
        client.platformManifest(tag("10.0"), ARM64);

        assertEquals(2, client.stats().requests() - before, "one HEAD each; the index content is known by its digest");
    }

    @Test
    void aSinglePlatformManifestIsAnImageOfItsConfigsPlatform() {
        ImageReference base = TestImages.base();
        ImageReference byTag = new ImageReference(base.registry(), base.repository(), "10.0", null);
        client.putManifest(base.registry(), base.repository(), "single-" + repository.substring(15), amd64);
        ImageReference single = new ImageReference(base.registry(), base.repository(), "single-" + repository.substring(15), null);

        PlatformManifest resolved = client.platformManifest(single, AMD64).orElseThrow();

        assertEquals(amd64.digest(), resolved.digest());
        assertFalse(resolved.isIndex());
        RegistryException other = assertThrows(RegistryException.class, () -> client.platformManifest(single, ARM64));
        assertEquals("PLATFORM_UNKNOWN", other.code());
        assertTrue(other.getMessage().contains("has no image for linux/arm64 (it has images for linux/amd64)"),
                other.getMessage());
        assertTrue(client.manifestDigest(byTag).isPresent());
    }

    @Test
    void anIndexFreshenWritesIsAcceptedAndEachPlatformsConfigIsReadStrictly() {
        copyInto(TestImages.base(), amd64);
        copyInto(TestImages.base(), arm64);
        Manifest index = ImageIndexes.write(List.of(
                ImageIndexes.entryOf(amd64, AMD64, java.util.Map.of(ImageLabels.BASE_DIGEST, amd64.digest().toString())),
                ImageIndexes.entryOf(arm64, ARM64, java.util.Map.of())), java.util.Map.of(ImageLabels.RUN_ID, "b-1"));

        Digest put = client.putManifest(host, repository, "multi", index);

        assertEquals(index.digest(), put, "the registry keeps the bytes Freshen wrote");
        assertEquals(index, client.manifest(tag("multi")).orElseThrow());
        ImageConfig arm = client.imageConfigFor(tag("multi"), ARM64).orElseThrow();
        assertEquals("arm64", arm.architecture());
        assertEquals("v8", arm.variant());
        assertEquals(ARM64, arm.platform());
        assertEquals("1", arm.labels().get("revision"));
        assertEquals(AMD64, client.imageConfigFor(tag("multi"), AMD64).orElseThrow().platform());
        assertTrue(client.imageConfigFor(tag("multi"), Platform.parse("linux/arm/v7")).isEmpty(), "no fall-back");
        assertEquals(List.of(AMD64, ARM64), ImageIndexes.read(index).stream().map(ImageIndexes.Entry::platform).toList());

        client.putManifest(host, repository, "single", amd64);
        assertTrue(client.imageConfigFor(tag("single"), AMD64).isPresent());
        assertTrue(client.imageConfigFor(tag("single"), ARM64).isEmpty(), "an amd64 image is no arm64 image");
    }

    @Test
    void aPlatformTheIndexLacksIsAnErrorNamingThePlatformsItHas() throws Exception {
        index("10.0", new Object[]{amd64, "linux", "amd64", null}, new Object[]{attestation, null, null, null});

        RegistryException e = assertThrows(RegistryException.class,
                () -> client.platformManifest(tag("10.0"), Platform.parse("linux/arm/v7")));

        assertFalse(e.isTransient());
        assertTrue(e.getMessage().endsWith("has no image for linux/arm/v7 (it has images for linux/amd64)"), e.getMessage());
    }

    @Test
    void aMissingTagIsEmpty() {
        assertEquals(Optional.empty(), client.platformManifest(tag("no-such-tag"), AMD64));
    }
}
