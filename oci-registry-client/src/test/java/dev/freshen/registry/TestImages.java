package dev.freshen.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.LocalRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Fixture images for the ITs, and copying an image between registries with the client under test. */
final class TestImages {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ImageReference base;

    private TestImages() {
    }

    /** A fixture base published once per JVM to the shared local registry, pinned by digest. */
    static synchronized ImageReference base() {
        if (base == null) {
            base = FixtureImages.publishBase(LocalRegistry.shared().host(), "dotnet/runtime", "10.0");
        }
        return base;
    }

    /** The config and layer digests of an image manifest. */
    static List<Digest> blobsOf(Manifest manifest) {
        try {
            JsonNode json = JSON.readTree(manifest.content());
            List<Digest> blobs = new ArrayList<>();
            blobs.add(Digest.parse(json.path("config").path("digest").asText()));
            json.path("layers").forEach(layer -> blobs.add(Digest.parse(layer.path("digest").asText())));
            return blobs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a single-platform image (blobs, then the manifest, bytes unchanged) to {@code registry/repository:tag}. */
    static Digest copy(RegistryClient client, ImageReference source, String registry, String repository, String tag) {
        Manifest manifest = client.manifest(source).orElseThrow();
        for (Digest blob : blobsOf(manifest)) {
            client.pushBlob(registry, repository, client.blob(source.registry(), source.repository(), blob));
        }
        return client.putManifest(registry, repository, tag, manifest);
    }
}
