package dev.freshen.watcher.registry;

import dev.freshen.descriptor.Target;
import dev.freshen.descriptor.definition.Definition;
import dev.freshen.descriptor.definition.DefinitionEntry;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.Platform;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.watcher.BuiltFrom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link OciImageRegistry#builtFrom} against the real registry: the definition labels read from the newest version's
 * config, and the labels cache (counted in requests: an unchanged newest version costs the tags list and a HEAD).
 */
class OciImageRegistryIT {

    private static final String REVISION = "4f1c0ffee0ddba11d0e5c0de0000000000000000";
    private static LocalRegistry registry;
    private static RegistryClient pusher;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.shared();
        pusher = new RegistryClient(RegistrySettings.defaults());
    }

    @Test
    void readsTheDefinitionLabelsOnceForEachNewestVersion() {
        String repository = "platform/labels-" + Long.toString(System.nanoTime(), 36);
        Target target = new Target(repository, "10.0", List.of());
        Definition definition = Definition.of(List.of(
                new DefinitionEntry(DefinitionEntry.Kind.DOCKERFILE, "Dockerfile", "a".repeat(64)),
                new DefinitionEntry(DefinitionEntry.Kind.EXECUTABLE, "app/run.sh", "b".repeat(64)),
                new DefinitionEntry(DefinitionEntry.Kind.SETTINGS, "platform-image.yaml", "c".repeat(64))));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ImageLabels.DEFINITION, definition.hash());
        labels.put(ImageLabels.DEFINITION_FILES, definition.filesLabel().orElseThrow());
        labels.put(ImageLabels.REVISION, REVISION);
        Digest first = push(repository, "10.0-1.0.0", labels);
        RegistryClient client = new RegistryClient(RegistrySettings.defaults());
        OciImageRegistry oci = new OciImageRegistry(client, registry.host());

        BuiltFrom read = oci.builtFrom(target, Platform.LINUX_AMD64).orElseThrow();
        long firstCheck = client.stats().requests();

        assertEquals(first, read.digest());
        assertEquals(definition.hash(), read.definition());
        assertEquals(REVISION, read.revision());
        assertEquals(List.of("Dockerfile", "app/run.sh", "platform-image.yaml"),
                read.definitionFiles().stream().map(DefinitionEntry::path).toList());
        assertEquals(definition.entries().stream().map(DefinitionEntry::shortSha256).toList(),
                read.definitionFiles().stream().map(DefinitionEntry::sha256).toList());
        assertEquals(4, firstCheck, "tags, HEAD, manifest GET, config GET");

        assertEquals(read, oci.builtFrom(target, Platform.LINUX_AMD64).orElseThrow());
        assertEquals(2, client.stats().requests() - firstCheck, "unchanged: tags and HEAD only");

        Digest second = push(repository, "10.0-1.1.0", Map.of(ImageLabels.REVISION, REVISION));
        long before = client.stats().requests();
        BuiltFrom newer = oci.builtFrom(target, Platform.LINUX_AMD64).orElseThrow();
        assertEquals(4, client.stats().requests() - before, "a newer version is read");
        assertEquals(second, newer.digest());
        assertNull(newer.definition(), "published without the definition labels");
        assertEquals(List.of(), newer.definitionFiles());
    }

    /** Pushes a one-layer image whose config has {@code labels} under {@code tag}; returns its manifest digest. */
    private static Digest push(String repository, String tag, Map<String, String> labels) {
        StringBuilder labelJson = new StringBuilder();
        labels.forEach((k, v) -> labelJson.append(labelJson.isEmpty() ? "" : ",").append(json(k)).append(':').append(json(v)));
        byte[] layer = ("layer of " + tag).getBytes(StandardCharsets.UTF_8);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{" + labelJson
                + "}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.sha256Of(layer) + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        Digest layerDigest = pusher.pushBlob(registry.host(), repository, layer);
        Digest configDigest = pusher.pushBlob(registry.host(), repository, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}";
        return pusher.putManifest(registry.host(), repository, tag,
                Manifest.of("application/vnd.oci.image.manifest.v1+json", manifest.getBytes(StandardCharsets.UTF_8)));
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
