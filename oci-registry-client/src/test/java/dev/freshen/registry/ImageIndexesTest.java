package dev.freshen.registry;

import dev.freshen.events.ImageLabels;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.Platform;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bytes of the image indexes Freshen writes are pinned (a golden file): their digest is the candidate's. */
class ImageIndexesTest {

    static final Platform AMD64 = Platform.LINUX_AMD64;
    static final Platform ARM64 = Platform.parse("linux/arm64");
    static final Platform ARM_V7 = Platform.parse("linux/arm/v7");

    static Digest digest(char c) {
        return Digest.parse("sha256:" + String.valueOf(c).repeat(64));
    }

    static List<ImageIndexes.Entry> entries() {
        Map<String, String> base = new LinkedHashMap<>();
        base.put(ImageLabels.BASE_NAME, "127.0.0.1:5000/fixture/base:1"); // written sorted whatever the map's order
        base.put(ImageLabels.BASE_DIGEST, digest('1').toString());
        return List.of(
                new ImageIndexes.Entry(MediaTypes.DOCKER_MANIFEST, digest('a'), 528, AMD64, base),
                new ImageIndexes.Entry(MediaTypes.OCI_MANIFEST, digest('b'), 612, ARM64, Map.of()),
                new ImageIndexes.Entry(MediaTypes.OCI_MANIFEST, digest('c'), 600, ARM_V7, null));
    }

    static Map<String, String> annotations() {
        return Map.of(ImageLabels.RUN_ID, "b-0123456789abcdef01234567", ImageLabels.IMAGE_ID, "fixture/runtime",
                ImageLabels.CREATED, "2026-12-01T09:00:00Z");
    }

    @Test
    void writesTheSameBytesForTheSameEntries() throws IOException {
        Manifest index = ImageIndexes.write(entries(), annotations());

        assertEquals(golden("three-platforms.json"), new String(index.content(), StandardCharsets.UTF_8));
        assertEquals(MediaTypes.OCI_INDEX, index.mediaType());
        assertTrue(index.isIndex());
        assertEquals(index, ImageIndexes.write(entries(), new LinkedHashMap<>(annotations())));
    }

    @Test
    void readsBackWhatItWroteAndLeavesAttestationsOut() {
        assertEquals(entries().stream().map(e -> new ImageIndexes.Entry(e.mediaType(), e.digest(), e.size(), e.platform(),
                e.annotations())).toList(), ImageIndexes.read(ImageIndexes.write(entries(), Map.of())));

        String withAttestation = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + digest('a') + "\",\"size\":5,"
                + "\"platform\":{\"architecture\":\"aarch64\",\"os\":\"linux\",\"variant\":\"v8\"}},"
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + digest('b') + "\",\"size\":5,"
                + "\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"},"
                + "\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"}}]}";
        List<ImageIndexes.Entry> read = ImageIndexes.read(Manifest.of(MediaTypes.OCI_INDEX,
                withAttestation.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, read.size());
        assertEquals(ARM64, read.get(0).platform(), "aarch64/v8 is linux/arm64");
    }

    @Test
    void refusesAnEmptyIndexAPlatformTwiceAndAnIndexAsAnEntry() {
        assertThrows(IllegalArgumentException.class, () -> ImageIndexes.write(List.of(), Map.of()));
        ImageIndexes.Entry amd = entries().get(0);
        assertThrows(IllegalArgumentException.class, () -> ImageIndexes.write(List.of(amd, amd), Map.of()));
        Manifest index = ImageIndexes.write(entries(), Map.of());
        assertThrows(IllegalArgumentException.class, () -> ImageIndexes.entryOf(index, AMD64, Map.of()));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = ImageIndexesTest.class.getResourceAsStream("/index/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }
}
