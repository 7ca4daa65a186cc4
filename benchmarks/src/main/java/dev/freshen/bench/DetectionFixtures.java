package dev.freshen.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.MediaTypes;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.RegistryProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The world the detection benchmark checks, made without Docker and the same every run: an upstream base repository {@code dotnet/runtime} with {@value #UPSTREAM_TAGS} tags (MCR's has over a
 * thousand), and {@code count} platform images built FROM its {@code 10.0}, each published to a target repository of its
 * own that looks like one after {@value #PUBLISHED_RUNS} runs: that many version tags and candidate tags plus
 * {@code 10.0} and {@code latest}, the newest version labelled with the current base digest (so nothing changed).
 * One image of each kind goes through the registry API at the registry's own address (not counted); the other tags and
 * repositories are copies in its storage (see {@link #copyTag}). The descriptors name the counting proxy's address.
 */
final class DetectionFixtures {

    static final int UPSTREAM_TAGS = 1200;
    static final int PUBLISHED_RUNS = 5;
    static final String UPSTREAM_REPOSITORY = "dotnet/runtime";
    static final String BASE_TAG = "10.0";
    static final int LAYER_SIZE = 3000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient client;
    private final String registry;
    private final Path storage;
    private final String proxy;
    private final Path root;

    private DetectionFixtures(RegistryProcess registryProcess, String proxy, Path root) {
        // setup only, nothing of it is measured: quick retries when the busy registry hiccups
        this.client = new RegistryClient(RegistrySettings.defaults().withRetries(4, Duration.ofMillis(200)));
        this.registry = registryProcess.host();
        this.storage = registryProcess.directory().resolve("data/docker/registry/v2");
        this.proxy = proxy;
        this.root = root;
    }

    /**
     * Builds the upstream repository and {@code count} published platform images in {@code registry}, and their
     * descriptors under {@code root} naming the base as {@code <proxy>/dotnet/runtime:10.0}.
     */
    static DetectionFixtures create(RegistryProcess registry, String proxy, Path root, int count) {
        DetectionFixtures fixtures = new DetectionFixtures(registry, proxy, root);
        fixtures.build(count);
        return fixtures;
    }

    static String imageId(int i) {
        return "bench/img-%03d".formatted(i);
    }

    static String targetRepository(int i) {
        return "platform/detect-%03d".formatted(i);
    }

    /** The base as the Dockerfiles name it (through the proxy, so the check's traffic is counted). */
    ImageReference base() {
        return new ImageReference(proxy, UPSTREAM_REPOSITORY, BASE_TAG, null);
    }

    Path root() {
        return root;
    }

    private void build(int count) {
        Random random = new Random(12); // the same bytes every run
        Digest baseLayer1 = client.pushBlob(registry, UPSTREAM_REPOSITORY, bytes(random, LAYER_SIZE));
        Digest baseLayer2 = client.pushBlob(registry, UPSTREAM_REPOSITORY, bytes(random, LAYER_SIZE));
        byte[] baseConfig = config(List.of(), random);
        Manifest baseManifest = manifest(client.pushBlob(registry, UPSTREAM_REPOSITORY, baseConfig), baseConfig.length,
                List.of(baseLayer1, baseLayer2));
        Digest baseDigest = client.putManifest(registry, UPSTREAM_REPOSITORY, BASE_TAG, baseManifest);
        for (String tag : upstreamTags()) {
            copyTag(UPSTREAM_REPOSITORY, BASE_TAG, tag);
        }

        // the first platform image through the registry API; the others are copies of its repository
        String first = targetRepository(0);
        Digest ownLayer = client.pushBlob(registry, first, bytes(random, LAYER_SIZE));
        for (Digest layer : List.of(baseLayer1, baseLayer2)) {
            if (!client.mountBlob(registry, UPSTREAM_REPOSITORY, first, layer)) {
                throw new IllegalStateException("the registry did not mount " + layer + " into " + first);
            }
        }
        ImageReference pinnedBase = base().withDigest(baseDigest);
        List<String> labels = List.of(
                ImageLabels.BASE_NAME, base().toString(),
                ImageLabels.BASE_DIGEST, baseDigest.toString(),
                ImageLabels.BASE_IMAGES, ImageLabels.baseImagesValue(List.of(pinnedBase)),
                ImageLabels.CREATED, "2025-11-27T21:26:00Z",
                ImageLabels.REVISION, "4f1c0ffee0ddba11d0e5c0de0000000000000000",
                ImageLabels.RUN_ID, "b-0123456789abcdef01234567");
        byte[] config = config(labels, random);
        Manifest manifest = manifest(client.pushBlob(registry, first, config), config.length,
                List.of(baseLayer1, baseLayer2, ownLayer));
        for (String tag : targetTags()) {
            client.putManifest(registry, first, tag, manifest);
        }
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                copyRepository(first, targetRepository(i));
            }
            writeDescriptor(i);
        }
    }

    /*
     * Fan-out through the registry's storage, not its API: thousands of tag PUTs take minutes on a busy 2-core machine,
     * and what the registry serves afterwards is the same. The layout is the CNCF distribution registry's filesystem
     * driver (stable since 2.0): a tag is a folder of link files naming the manifest digest; a repository holds only
     * links (blobs are shared by the whole registry). No cache is configured, so the registry reads them as they are.
     */

    private void copyTag(String repository, String from, String to) {
        Path tags = storage.resolve("repositories").resolve(repository).resolve("_manifests/tags");
        copyTree(tags.resolve(from), tags.resolve(to));
    }

    private void copyRepository(String from, String to) {
        Path repositories = storage.resolve("repositories");
        copyTree(repositories.resolve(from), repositories.resolve(to));
    }

    private static void copyTree(Path source, Path target) {
        try (var files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " in the registry's storage", e);
        }
    }

    /** Version tags, candidate tags (the builder's, never removed) and the moving ones, as a real target has. */
    static List<String> targetTags() {
        List<String> tags = new ArrayList<>();
        for (int run = 0; run < PUBLISHED_RUNS; run++) {
            tags.add("10.0-1." + run + ".0");
            tags.add("candidate-b-%024x".formatted(0xfeedL * (run + 1)));
        }
        tags.add("10.0");
        tags.add("latest");
        return tags;
    }

    /** MCR-like tags: versions × distributions × architectures, {@value #UPSTREAM_TAGS} in all. */
    static List<String> upstreamTags() {
        Set<String> tags = new LinkedHashSet<>();
        String[] distros = {"", "-noble", "-noble-chiseled", "-noble-chiseled-extra", "-jammy", "-jammy-chiseled",
                "-bookworm-slim", "-alpine3.21", "-alpine3.22", "-azurelinux3.0", "-azurelinux3.0-distroless"};
        String[] arches = {"", "-amd64", "-arm64v8", "-arm32v7"};
        outer:
        for (int major : new int[]{10, 9, 8, 6}) {
            for (int patch = 0; patch < 30; patch++) {
                for (String distro : distros) {
                    for (String arch : arches) {
                        tags.add(major + ".0." + patch + distro + arch);
                        if (tags.size() >= UPSTREAM_TAGS - 1) {
                            break outer;
                        }
                    }
                }
            }
        }
        tags.remove(BASE_TAG);
        return new ArrayList<>(tags);
    }

    private void writeDescriptor(int i) {
        Path dir = root.resolve(imageId(i));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("Dockerfile"), "FROM " + base() + "\nRUN mkdir -p /app\nUSER 1654\n");
            Files.writeString(dir.resolve("platform-image.yaml"), """
                    schedule: "0 */15 * * * ?"
                    target:
                      repository: %s
                      tagPrefix: "10.0"
                      extraTags: ["10.0", latest]
                    """.formatted(targetRepository(i)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An image config the size of a real one (labels, environment, a build history). */
    private static byte[] config(List<String> labels, Random random) {
        ObjectNode root = JSON.createObjectNode();
        root.put("architecture", "amd64").put("os", "linux").put("created", "2025-11-27T21:26:00Z");
        ObjectNode config = root.putObject("config");
        config.put("User", "1654").put("WorkingDir", "/app");
        ArrayNode env = config.putArray("Env");
        env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").add("APP_UID=1654")
                .add("ASPNETCORE_HTTP_PORTS=8080").add("DOTNET_RUNNING_IN_CONTAINER=true").add("DOTNET_VERSION=10.0.0");
        ObjectNode labelNode = config.putObject("Labels");
        for (int i = 0; i + 1 < labels.size(); i += 2) {
            labelNode.put(labels.get(i), labels.get(i + 1));
        }
        ArrayNode diffIds = root.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        ArrayNode history = root.putArray("history");
        for (int i = 0; i < 8; i++) {
            diffIds.add(Digest.sha256Of(bytes(random, 64)).toString());
            history.addObject().put("created", "2025-11-1" + i + "T10:00:00Z")
                    .put("created_by", "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends "
                            + "ca-certificates libc6 libgcc-s1 libicu74 libssl3t64 libstdc++6 tzdata zlib1g # buildkit step " + i);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An OCI image manifest; every layer of these fixtures is {@value #LAYER_SIZE} bytes. */
    private static Manifest manifest(Digest config, int configSize, List<Digest> layers) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        root.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", config.toString()).put("size", configSize);
        ArrayNode layerNodes = root.putArray("layers");
        for (Digest layer : layers) {
            layerNodes.addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
                    .put("digest", layer.toString()).put("size", LAYER_SIZE);
        }
        return Manifest.of(MediaTypes.OCI_MANIFEST, root.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(Random random, int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }
}
