package dev.freshen.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * A multi-platform fixture base as vendors and BuildKit publish them: an OCI image index for a tag holding a
 * {@code linux/amd64} image (Debian's {@code busybox-static} binary as {@code /bin/busybox} with {@code sh},
 * {@code echo}, {@code ls}, {@code cat} symlinks), a {@code linux/arm64/v8} image (Debian's arm64 {@code busybox-static},
 * from {@value #ARM64_BUSYBOX}) and, optionally, an attestation manifest as BuildKit attaches them (platform
 * {@code unknown/unknown}, annotations {@code vnd.docker.reference.type: attestation-manifest} and
 * {@code vnd.docker.reference.digest: <amd64 manifest digest>}, one {@code application/vnd.in-toto+json} layer).
 *
 * <p>Each image has two gzip layers: the busybox layer (the same for every revision of a platform) and a layer with
 * {@code /etc/freshen-revision} holding the {@link Variant}'s revision of that platform. Output is deterministic
 * (fixed tar mtimes, owners and gzip header, JSON in a fixed key order): the same variant gives the same digests, so a
 * {@link Variant} changing only the arm64 revision changes only the arm64 manifest and the index. The attestation
 * names the amd64 manifest's digest, so an amd64 change changes it too, as with BuildKit.
 *
 * <p>Pushes anonymously with the distribution API ({@code POST} + {@code PUT ?digest=} uploads, {@code PUT} manifests)
 * to a registry without authentication ({@link LocalRegistry}, {@link RegistryProcess}); to serve it through a
 * {@link RegistryQuirkProxy}, publish to the proxy's backend. It does not use {@code oci-registry-client}'s
 * {@code RegistryClient}: that module's tests depend on this one, and Maven forbids the cycle.
 *
 * <p>Specs: OCI image spec v1.1 (image-index.md, manifest.md, config.md: {@code rootfs.diff_ids} are the digests of
 * the uncompressed layer tars); BuildKit's attestation storage (docs/attestations/attestation-storage.md in
 * moby/buildkit).
 */
public final class MultiArchBase {

    /** Where Debian's arm64 {@code busybox-static} binary is expected; {@code deploy/local/stack.sh up} puts it there. */
    public static final String ARM64_BUSYBOX = "/usr/local/lib/freshen/arm64/busybox";
    /** Debian's amd64 {@code busybox-static} binary (the package is installed on the test machine). */
    public static final String AMD64_BUSYBOX = "/bin/busybox";

    public static final String AMD64 = "linux/amd64";
    public static final String ARM64 = "linux/arm64";
    /** The key of the attestation manifest in {@link Published#manifests()}: its platform as BuildKit writes it. */
    public static final String ATTESTATION = "unknown/unknown";

    public static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String IN_TOTO_TYPE = "application/vnd.in-toto+json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> APPLETS = List.of("sh", "echo", "ls", "cat");

    private final String registryHost;
    private final String repository;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, Blob> busyboxLayers = new LinkedHashMap<>();
    private final Map<String, Digest> busyboxDiffIds = new LinkedHashMap<>();

    /**
     * What a revision of the base is made of: the revision string of each platform image (what {@code
     * /etc/freshen-revision} holds) and of the attestation, or null for no attestation manifest.
     */
    public record Variant(String amd64, String arm64, String attestation) {

        public Variant {
            if (amd64 == null || arm64 == null) {
                throw new IllegalArgumentException("both platform revisions are required");
            }
        }

        /** The first roll-out: amd64 {@code A1}, arm64 {@code I1}, attestation {@code S1}. */
        public static Variant initial() {
            return new Variant("A1", "I1", "S1");
        }

        public Variant withAmd64(String revision) {
            return new Variant(revision, arm64, attestation);
        }

        public Variant withArm64(String revision) {
            return new Variant(amd64, revision, attestation);
        }

        /** @param revision the attestation's revision, or null for an index without attestation manifest */
        public Variant withAttestation(String revision) {
            return new Variant(amd64, arm64, revision);
        }
    }

    /**
     * What {@link #publish} pushed.
     *
     * @param reference {@code host/repository:tag@<digest of the tag's manifest>} (the index, or the single manifest)
     * @param manifests platform ({@link #AMD64}, {@link #ARM64}, {@link #ATTESTATION}) to image manifest digest; only
     *                  the platforms pushed
     */
    public record Published(ImageReference reference, Map<String, Digest> manifests) {

        public Published {
            manifests = Map.copyOf(manifests);
        }

        /** The digest the tag points at: the index's, or the single manifest's. */
        public Digest digest() {
            return reference.digest();
        }

        public Digest manifest(String platform) {
            Digest digest = manifests.get(platform);
            if (digest == null) {
                throw new IllegalArgumentException("no " + platform + " manifest in " + reference + " (has " + manifests.keySet() + ")");
            }
            return digest;
        }
    }

    /** @param registryHost {@code 127.0.0.1:<port>} of a registry without authentication */
    public MultiArchBase(String registryHost, String repository) {
        this.registryHost = registryHost;
        this.repository = repository;
    }

    /**
     * Pushes the images, the attestation if any, and the index under {@code tag}.
     *
     * @throws IllegalStateException when the arm64 busybox binary is missing (the message names the command)
     */
    public Published publish(String tag, Variant variant) {
        Map<String, Digest> manifests = new LinkedHashMap<>();
        List<Map<String, Object>> entries = new ArrayList<>();
        Blob amd64 = pushImage(AMD64, variant.amd64());
        manifests.put(AMD64, amd64.digest());
        entries.add(descriptor(MANIFEST_TYPE, amd64, Map.of("architecture", "amd64", "os", "linux"), null));
        Blob arm64 = pushImage(ARM64, variant.arm64());
        manifests.put(ARM64, arm64.digest());
        entries.add(descriptor(MANIFEST_TYPE, arm64, ordered("architecture", "arm64", "os", "linux", "variant", "v8"), null));
        if (variant.attestation() != null) {
            Blob attestation = pushAttestation(amd64.digest(), variant.attestation());
            manifests.put(ATTESTATION, attestation.digest());
            entries.add(descriptor(MANIFEST_TYPE, attestation, ordered("architecture", "unknown", "os", "unknown"),
                    ordered("vnd.docker.reference.digest", amd64.digest().toString(),
                            "vnd.docker.reference.type", "attestation-manifest")));
        }
        Map<String, Object> index = ordered("schemaVersion", 2, "mediaType", INDEX_TYPE, "manifests", entries);
        Blob pushed = putManifest(tag, INDEX_TYPE, json(index));
        return new Published(new ImageReference(registryHost, repository, tag, pushed.digest()), manifests);
    }

    /** Pushes a plain single-platform {@code linux/amd64} image manifest (no index) under {@code tag}. */
    public Published publishSingle(String tag, String amd64Revision) {
        byte[] manifest = imageManifest(AMD64, amd64Revision);
        Blob pushed = putManifest(tag, MANIFEST_TYPE, manifest);
        return new Published(new ImageReference(registryHost, repository, tag, pushed.digest()), Map.of(AMD64, pushed.digest()));
    }

    private Blob pushImage(String platform, String revision) {
        byte[] manifest = imageManifest(platform, revision);
        return putManifest(null, MANIFEST_TYPE, manifest);
    }

    /** Pushes the layers and config of one platform's image and returns its manifest (not yet pushed). */
    private byte[] imageManifest(String platform, String revision) {
        Blob busybox = busyboxLayers.computeIfAbsent(platform, this::busyboxLayer);
        Layer revisionLayer = Layer.of(Tar.of(List.of(Tar.Entry.directory("etc/"),
                Tar.Entry.file("etc/freshen-revision", 0644, (revision + "\n").getBytes(StandardCharsets.UTF_8)))));
        Blob revisionBlob = pushBlob(revisionLayer.gzip());
        String architecture = platform.substring(platform.indexOf('/') + 1);
        Map<String, Object> config = ordered(
                "architecture", architecture,
                "os", "linux");
        if (architecture.equals("arm64")) {
            config.put("variant", "v8");
        }
        config.put("config", ordered("Env", List.of("PATH=/bin"), "Cmd", List.of("/bin/sh"),
                "Labels", Map.of("dev.freshen.fixture.revision", revision)));
        config.put("rootfs", ordered("type", "layers", "diff_ids",
                List.of(busyboxDiffIds.get(platform).toString(), revisionLayer.diffId().toString())));
        Blob configBlob = pushBlob(json(config));
        return json(ordered("schemaVersion", 2, "mediaType", MANIFEST_TYPE,
                "config", descriptor(CONFIG_TYPE, configBlob, null, null),
                "layers", List.of(descriptor(LAYER_TYPE, busybox, null, null), descriptor(LAYER_TYPE, revisionBlob, null, null))));
    }

    private Blob busyboxLayer(String platform) {
        Path binary = Path.of(platform.equals(AMD64) ? AMD64_BUSYBOX : ARM64_BUSYBOX);
        if (!Files.isRegularFile(binary)) {
            throw new IllegalStateException(platform.equals(AMD64)
                    ? binary + " is missing: run deploy/local/stack.sh up (installs busybox-static)"
                    : binary + " (Debian's busybox-static for arm64) is missing: run deploy/local/stack.sh up as root, or"
                    + " dpkg --add-architecture arm64 && apt-get update && apt-get download busybox-static:arm64 &&"
                    + " dpkg-deb -x busybox-static_*_arm64.deb x && install -D -m 0755 x/bin/busybox " + ARM64_BUSYBOX);
        }
        List<Tar.Entry> entries = new ArrayList<>();
        entries.add(Tar.Entry.directory("bin/"));
        try {
            entries.add(Tar.Entry.file("bin/busybox", 0755, Files.readAllBytes(binary)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + binary, e);
        }
        APPLETS.forEach(applet -> entries.add(Tar.Entry.symlink("bin/" + applet, "busybox")));
        Layer layer = Layer.of(Tar.of(entries));
        busyboxDiffIds.put(platform, layer.diffId());
        return pushBlob(layer.gzip());
    }

    /** The attestation manifest BuildKit attaches: an in-toto statement about the amd64 image. */
    private Blob pushAttestation(Digest subject, String revision) {
        byte[] statement = json(ordered(
                "_type", "https://in-toto.io/Statement/v0.1",
                "predicateType", "https://spdx.dev/Document",
                "subject", List.of(ordered("name", "pkg:docker/fixture-base?platform=linux%2Famd64",
                        "digest", Map.of("sha256", subject.hex()))),
                "predicate", ordered("spdxVersion", "SPDX-2.3", "name", "fixture-" + revision)));
        Blob layer = pushBlob(statement);
        Blob config = pushBlob(json(ordered("architecture", "unknown", "os", "unknown", "config", Map.of(),
                "rootfs", ordered("type", "layers", "diff_ids", List.of(layer.digest().toString())))));
        byte[] manifest = json(ordered("schemaVersion", 2, "mediaType", MANIFEST_TYPE,
                "config", descriptor(CONFIG_TYPE, config, null, null),
                "layers", List.of(descriptor(IN_TOTO_TYPE, layer, null,
                        Map.of("in-toto.io/predicate-type", "https://spdx.dev/Document")))));
        return putManifest(null, MANIFEST_TYPE, manifest);
    }

    private static Map<String, Object> descriptor(String mediaType, Blob blob, Map<String, Object> platform,
                                                  Map<String, ?> annotations) {
        Map<String, Object> descriptor = ordered("mediaType", mediaType, "digest", blob.digest().toString(), "size", blob.size());
        if (annotations != null) {
            descriptor.put("annotations", annotations);
        }
        if (platform != null) {
            descriptor.put("platform", platform);
        }
        return descriptor;
    }

    private record Blob(Digest digest, long size) {
    }

    /** One uncompressed layer tar, its diff id and its deterministic gzip form. */
    private record Layer(byte[] tar) {

        static Layer of(byte[] tar) {
            return new Layer(tar);
        }

        Digest diffId() {
            return Digest.sha256Of(tar);
        }

        /** Java's gzip header has mtime 0 and no file name, so the same tar always gives the same bytes. */
        byte[] gzip() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write(tar);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    // ---- the distribution API, anonymous ------------------------------------------------------------------------

    private Blob pushBlob(byte[] content) {
        Digest digest = Digest.sha256Of(content);
        URI blob = api("/blobs/" + digest);
        if (send(HttpRequest.newBuilder(blob).method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode() == 200) {
            return new Blob(digest, content.length);
        }
        HttpResponse<String> started = send(HttpRequest.newBuilder(api("/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        String location = started.headers().firstValue("Location").orElse(null);
        if (started.statusCode() != 202 || location == null) {
            throw new IllegalStateException("upload to " + registryHost + "/" + repository + " did not start: "
                    + started.statusCode() + " " + started.body());
        }
        URI upload = api("/blobs/uploads/").resolve(location);
        URI put = URI.create(upload + (upload.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
        HttpResponse<String> done = send(HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        if (done.statusCode() != 201) {
            throw new IllegalStateException("blob " + digest + " was refused by " + registryHost + ": "
                    + done.statusCode() + " " + done.body());
        }
        return new Blob(digest, content.length);
    }

    /** @param tag the tag, or null to push by digest */
    private Blob putManifest(String tag, String mediaType, byte[] manifest) {
        Digest digest = Digest.sha256Of(manifest);
        HttpResponse<String> response = send(HttpRequest.newBuilder(api("/manifests/" + (tag == null ? digest : tag)))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("manifest " + digest + " was refused by " + registryHost + ": "
                    + response.statusCode() + " " + response.body());
        }
        return new Blob(digest, manifest.length);
    }

    private URI api(String path) {
        return URI.create("http://" + registryHost + "/v2/" + repository + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("registry " + registryHost + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A mutable map keeping insertion order from key, value pairs. */
    private static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** Deterministic ustar archives: mtime 0, owner 0:0, entries in the given order. */
    static final class Tar {

        record Entry(String name, char type, int mode, byte[] content, String linkTarget) {

            static Entry directory(String name) {
                return new Entry(name, '5', 0755, new byte[0], "");
            }

            static Entry file(String name, int mode, byte[] content) {
                return new Entry(name, '0', mode, content, "");
            }

            static Entry symlink(String name, String target) {
                return new Entry(name, '2', 0777, new byte[0], target);
            }
        }

        private Tar() {
        }

        static byte[] of(List<Entry> entries) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Entry entry : entries) {
                byte[] header = new byte[512];
                put(header, 0, 100, entry.name());
                put(header, 100, 8, octal(entry.mode(), 7));
                put(header, 108, 8, octal(0, 7));
                put(header, 116, 8, octal(0, 7));
                put(header, 124, 12, octal(entry.content().length, 11));
                put(header, 136, 12, octal(0, 11));
                header[156] = (byte) entry.type();
                put(header, 157, 100, entry.linkTarget());
                put(header, 257, 6, "ustar");
                put(header, 263, 2, "00");
                for (int i = 148; i < 156; i++) {
                    header[i] = ' ';
                }
                long sum = 0;
                for (byte b : header) {
                    sum += b & 0xff;
                }
                put(header, 148, 8, octal(sum, 6) + "\0 ");
                out.writeBytes(header);
                out.writeBytes(entry.content());
                out.writeBytes(new byte[(512 - entry.content().length % 512) % 512]);
            }
            out.writeBytes(new byte[1024]);
            return out.toByteArray();
        }

        private static String octal(long value, int digits) {
            String text = Long.toOctalString(value);
            return "0".repeat(Math.max(0, digits - text.length())) + text;
        }

        private static void put(byte[] header, int offset, int length, String value) {
            byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length > length) {
                throw new IllegalArgumentException("tar header field too long: " + value);
            }
            System.arraycopy(bytes, 0, header, offset, bytes.length);
        }
    }
}
