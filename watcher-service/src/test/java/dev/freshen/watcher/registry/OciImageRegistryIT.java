package dev.freshen.watcher.registry;

import dev.freshen.descriptor.Target;
import dev.freshen.descriptor.definition.Definition;
import dev.freshen.descriptor.definition.DefinitionEntry;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.registry.ImageIndexes;
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

        BuiltFrom read = oci.builtFrom(target, List.of(Platform.LINUX_AMD64)).orElseThrow();
        long firstCheck = client.stats().requests();

        assertEquals(first, read.digest());
        assertEquals(definition.hash(), read.definition());
        assertEquals(REVISION, read.revision());
        assertEquals(List.of("Dockerfile", "app/run.sh", "platform-image.yaml"),
                read.definitionFiles().stream().map(DefinitionEntry::path).toList());
        assertEquals(definition.entries().stream().map(DefinitionEntry::shortSha256).toList(),
                read.definitionFiles().stream().map(DefinitionEntry::sha256).toList());
        assertEquals(4, firstCheck, "tags, HEAD, manifest GET, config GET");

        assertEquals(read, oci.builtFrom(target, List.of(Platform.LINUX_AMD64)).orElseThrow());
        assertEquals(2, client.stats().requests() - firstCheck, "unchanged: tags and HEAD only");

        Digest second = push(repository, "10.0-1.1.0", Map.of(ImageLabels.REVISION, REVISION));
        long before = client.stats().requests();
        BuiltFrom newer = oci.builtFrom(target, List.of(Platform.LINUX_AMD64)).orElseThrow();
        assertEquals(4, client.stats().requests() - before, "a newer version is read");
        assertEquals(second, newer.digest());
        assertNull(newer.definition(), "published without the definition labels");
        assertEquals(List.of(), newer.definitionFiles());
    }

    @Test
    void eachPlatformIsReadFromItsOwnChildAndAPlatformWithoutOneIsNotPublished() {
        String repository = "platform/children-" + Long.toString(System.nanoTime(), 36);
        Target target = new Target(repository, "10.0", List.of());
        ImageReference base = ImageReference.parse("127.0.0.1:5000/dotnet/runtime:10.0");
        Digest amd64Base = Digest.sha256Of("amd64 base".getBytes(StandardCharsets.UTF_8));
        Digest arm64Base = Digest.sha256Of("arm64 base".getBytes(StandardCharsets.UTF_8));
        Platform arm64 = Platform.parse("linux/arm64");
        Map<String, String> amd64Labels = new LinkedHashMap<>(Map.of(ImageLabels.REVISION, REVISION,
                ImageLabels.BASE_IMAGES, ImageLabels.baseImagesValue(List.of(base.withDigest(amd64Base)))));
        Digest amd64 = push(repository, "10.0-1.0.0", amd64Labels, "amd64", null);
        OciImageRegistry single = new OciImageRegistry(new RegistryClient(RegistrySettings.defaults()), registry.host());
        BuiltFrom one = single.builtFrom(target, List.of(Platform.LINUX_AMD64, arm64)).orElseThrow();
        assertEquals(amd64, one.digest());
        assertEquals(Map.of(base, amd64Base), one.bases());
        assertEquals(java.util.Optional.of(Map.of(base, amd64Base)), one.basesFor(Platform.LINUX_AMD64));
        assertEquals(java.util.Optional.empty(), one.basesFor(arm64), "an amd64 manifest is no arm64 image");
        assertEquals(List.of(new BuiltFrom.PlatformBuild("linux/amd64", true, Map.of(base, amd64Base)),
                BuiltFrom.PlatformBuild.notPublished(arm64)), one.platforms());
        assertEquals(REVISION, one.revision());
        BuiltFrom onlyArm64 = single.builtFrom(target, List.of(arm64)).orElseThrow();
        assertEquals(List.of(BuiltFrom.PlatformBuild.notPublished(arm64)), onlyArm64.platforms(),
                "strict: never another platform's labels");
        assertEquals(Map.of(), onlyArm64.bases());

        Digest arm64Child = push(repository, null, Map.of(ImageLabels.BASE_IMAGES,
                ImageLabels.baseImagesValue(List.of(base.withDigest(arm64Base)))), "arm64", "v8");
        Manifest amd64Manifest = pusher.manifest(new ImageReference(registry.host(), repository, null, amd64)).orElseThrow();
        Manifest arm64Manifest = pusher.manifest(new ImageReference(registry.host(), repository, null, arm64Child)).orElseThrow();
        Digest index = pusher.putManifest(registry.host(), repository, "10.0-1.1.0", ImageIndexes.write(List.of(
                ImageIndexes.entryOf(amd64Manifest, Platform.LINUX_AMD64, Map.of()),
                ImageIndexes.entryOf(arm64Manifest, arm64, Map.of())), Map.of()));
        OciImageRegistry oci = new OciImageRegistry(new RegistryClient(RegistrySettings.defaults()), registry.host());

        BuiltFrom read = oci.builtFrom(target, List.of(Platform.LINUX_AMD64, arm64)).orElseThrow();

        assertEquals("10.0-1.1.0", read.versionTag());
        assertEquals(index, read.digest(), "the index's digest");
        assertEquals(java.util.Optional.of(Map.of(base, amd64Base)), read.basesFor(Platform.LINUX_AMD64));
        assertEquals(java.util.Optional.of(Map.of(base, arm64Base)), read.basesFor(arm64), "from the arm64 child's labels");
        assertEquals(Map.of(base, amd64Base), read.bases(), "the first platform's");
        assertEquals(REVISION, read.revision(), "from the first platform's child");
    }

    /** Pushes a one-layer image whose config has {@code labels} under {@code tag}; returns its manifest digest. */
    private static Digest push(String repository, String tag, Map<String, String> labels) {
        return push(repository, tag, labels, "amd64", null);
    }

    /**
     * Pushes a one-layer image of linux/{@code architecture}[/{@code variant}] whose config has {@code labels} under
     * {@code tag} (null: by digest only); returns its manifest digest.
     */
    private static Digest push(String repository, String tag, Map<String, String> labels, String architecture,
                               String variant) {
        StringBuilder labelJson = new StringBuilder();
        labels.forEach((k, v) -> labelJson.append(labelJson.isEmpty() ? "" : ",").append(json(k)).append(':').append(json(v)));
        byte[] layer = ("layer of " + tag).getBytes(StandardCharsets.UTF_8);
        byte[] config = ("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\""
                + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + ",\"config\":{\"Labels\":{" + labelJson
                + "}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.sha256Of(layer) + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        Digest layerDigest = pusher.pushBlob(registry.host(), repository, layer);
        Digest configDigest = pusher.pushBlob(registry.host(), repository, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}";
        Manifest pushed = Manifest.of("application/vnd.oci.image.manifest.v1+json", manifest.getBytes(StandardCharsets.UTF_8));
        return pusher.putManifest(registry.host(), repository, tag == null ? pushed.digest().toString() : tag, pushed);
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
