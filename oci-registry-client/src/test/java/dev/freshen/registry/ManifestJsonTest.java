package dev.freshen.registry;

import dev.freshen.events.image.Digest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestJsonTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    private static Manifest index(String entries) {
        return Manifest.of(MediaTypes.OCI_INDEX, ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[" + entries + "]}").getBytes(StandardCharsets.UTF_8));
    }

    private static String entry(String digest, String os, String arch, String variant) {
        return "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":1,"
                + "\"platform\":{\"os\":\"" + os + "\",\"architecture\":\"" + arch + "\""
                + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + "}}";
    }

    @Test
    void selectsThePlatformElseTheFirstRealImage() {
        Manifest index = index(entry(C, "unknown", "unknown", null) + "," + entry(A, "linux", "arm64", "v8") + ","
                + entry(B, "linux", "amd64", null));

        assertEquals(Digest.parse(B), ManifestJson.platformManifest(index, "linux/amd64"));
        assertEquals(Digest.parse(A), ManifestJson.platformManifest(index, "linux/arm64"));
        assertEquals(Digest.parse(A), ManifestJson.platformManifest(index, "linux/arm64/v8"));
        assertEquals(Digest.parse(A), ManifestJson.platformManifest(index, "windows/amd64"), "first non-attestation");
        assertTrue(index.isIndex());
    }

    @Test
    void emptyIndexIsAnError() {
        assertThrows(RegistryException.class, () -> ManifestJson.platformManifest(index(""), "linux/amd64"));
    }

    @Test
    void imageConfigFields() {
        byte[] blob = """
                {"architecture":"amd64","config":{"User":"1654","Env":["PATH=/bin","APP_UID=1654"],
                 "Labels":{"org.opencontainers.image.title":"Freshen fixture base"}}}""".getBytes(StandardCharsets.UTF_8);
        ImageConfig config = ManifestJson.imageConfig(blob, Digest.sha256Of(blob));

        assertEquals(Map.of("org.opencontainers.image.title", "Freshen fixture base"), config.labels());
        assertEquals("1654", config.user());
        assertEquals(List.of("PATH=/bin", "APP_UID=1654"), config.env());
        assertEquals(Digest.sha256Of(blob), config.configDigest());
    }

    @Test
    void configWithoutLabelsUserOrEnv() {
        byte[] blob = "{\"config\":{\"Labels\":null}}".getBytes(StandardCharsets.UTF_8);
        ImageConfig config = ManifestJson.imageConfig(blob, Digest.sha256Of(blob));

        assertEquals(Map.of(), config.labels());
        assertEquals("", config.user());
        assertEquals(List.of(), config.env());
    }

    @Test
    void mediaTypeFromTheBodyWhenTheHeaderSaysNothing() {
        assertEquals(MediaTypes.DOCKER_MANIFEST, ManifestJson.mediaTypeOf(
                ("{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\"}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(MediaTypes.OCI_INDEX, ManifestJson.mediaTypeOf("{\"manifests\":[]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(MediaTypes.OCI_MANIFEST, ManifestJson.mediaTypeOf("{\"config\":{}}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void manifestKeepsItsBytesAndChecksItsDigest() {
        byte[] bytes = "{ \"odd\" :  \"spacing\" }".getBytes(StandardCharsets.UTF_8);
        Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, bytes);
        bytes[0] = 'x';

        assertEquals(Digest.sha256Of("{ \"odd\" :  \"spacing\" }".getBytes(StandardCharsets.UTF_8)), manifest.digest());
        assertFalse(manifest.isIndex());
        assertThrows(IllegalArgumentException.class, () -> new Manifest(MediaTypes.OCI_MANIFEST, bytes, manifest.digest()));
    }
}
