package dev.freshen.registry;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client of the OCI distribution API ({@code /v2/}) for any registry: Docker Hub, MCR, GHCR, ECR, the CNCF
 * distribution registry. It answers bearer-token and basic challenges (tokens cached per host and scope), retries
 * transient failures with backoff, limits concurrent requests per registry, slows down manifest reads while a
 * registry's pull budget runs low (Docker Hub's rate-limit headers, see {@link #manifest}), reads digests with GET from
 * registries that do not answer HEAD (see {@link #manifestDigest}) and counts its traffic. Thread-safe; share one
 * instance per set of settings.
 *
 * <p>Registries are named as in {@link ImageReference#registry()} ({@code docker.io}, {@code 127.0.0.1:5000}): that
 * name selects the credentials, {@link ImageReference#apiHost()} the host spoken to. Every failure is a
 * {@link RegistryException}; "not found" is an empty result where the method says so.
 */
public final class RegistryClient {

    static final String DOCKER_CONTENT_DIGEST = "Docker-Content-Digest";
    static final int DEFAULT_PAGE_SIZE = 1000;
    private static final int MAX_INDEX_DEPTH = 2;
    /** Answers to a manifest HEAD after which a GET is tried: see {@link #manifestDigest}. */
    private static final Set<Integer> HEAD_REFUSALS = Set.of(400, 404, 405, 501);

    /** The largest blob {@link #blob} reads into memory: 32 MiB (image configs are kilobytes). */
    public static final int MAX_BLOB_IN_MEMORY = 32 * 1024 * 1024;

    private final RegistrySettings settings;
    private final CredentialsProvider credentials;
    private final HttpTransport transport;
    private final RegistryHttp http;
    private final PlatformResolver platforms = new PlatformResolver(this);
    /** API hosts whose manifest HEAD is unusable. */
    private final Set<String> headlessHosts = ConcurrentHashMap.newKeySet();

    public RegistryClient(RegistrySettings settings) {
        this(settings, CredentialsProvider.NONE, Clock.systemUTC());
    }

    /** A client that asks {@code credentials} first (e.g. for ECR tokens), then uses the configured credentials. */
    public RegistryClient(RegistrySettings settings, CredentialsProvider credentials) {
        this(settings, credentials, Clock.systemUTC());
    }

    RegistryClient(RegistrySettings settings, Clock clock) {
        this(settings, CredentialsProvider.NONE, clock);
    }

    RegistryClient(RegistrySettings settings, CredentialsProvider credentials, Clock clock) {
        this(settings, credentials, clock, RequestPacing.THREAD_SLEEP);
    }

    /** A client whose waits for a paced registry go to {@code sleeper} (tests), timed by {@code clock}. */
    RegistryClient(RegistrySettings settings, CredentialsProvider credentials, Clock clock, RequestPacing.Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.credentials = credentials.orElse(settings);
        this.transport = new HttpTransport(settings);
        RegistryRetry retry = new RegistryRetry(settings.retries(), clock);
        Authenticator authenticator = new Authenticator(this.credentials, new TokenClient(transport, retry, settings), clock);
        this.http = new RegistryHttp(transport, retry, authenticator,
                new RequestPacing(settings.retries().maxBackoff(), clock, sleeper));
    }

    public RegistrySettings settings() {
        return settings;
    }

    /** The credentials this client uses for {@code registry}: dynamic ones first, then the configured ones. */
    public java.util.Optional<Credentials> credentialsFor(String registry) {
        return credentials.credentialsFor(registry);
    }

    /**
     * The digest a tag (or digest) currently resolves to, as the OCI distribution spec's "Checking if content exists
     * in the registry" describes: {@code HEAD /v2/<repo>/manifests/<ref>} accepting indexes and manifests, its
     * {@code Docker-Content-Digest}; or the digest of the body of a GET ({@link #manifest}, bytes exactly as served)
     * when the registry sends no such header.
     *
     * <p>Registries in the field do not all answer HEAD: some answer 405, 501 or 400 (Harbor in some versions), some
     * 404 for HEAD only, while GET serves the manifest. So a HEAD answered 400, 404, 405 or 501 is followed by a GET,
     * and only the GET's 404 means "does not exist". The registry's API host is then remembered as one whose HEAD is
     * unusable (logged once at INFO), and later calls for it go straight to GET: after a 400, 405 or 501 as soon as the
     * GET answered (200 or 404), after a 404 only when the GET found the manifest. A HEAD answered 200 without
     * {@code Docker-Content-Digest} (Harbor before 2.1.3, goharbor/harbor#13740) marks the host the same way once the GET
     * found the manifest, so that an unchanged check costs one GET, not a HEAD and a GET. A HEAD 404 followed by a GET 404
     * is a tag or repository that does not exist and marks nothing; the price is one extra GET per missing tag. Note
     * that a GET counts against pull rate limits (Docker Hub) where a HEAD does not.
     *
     * @return empty when the tag or the repository does not exist
     * @throws RegistryException when the registry fails the request (after the retries for transient failures) or
     *                           sends an invalid digest header
     */
    public Optional<Digest> manifestDigest(ImageReference ref) {
        RegistryRequest request = manifestRequest("HEAD", ref);
        if (headlessHosts.contains(request.host())) {
            return manifest(ref).map(Manifest::digest);
        }
        HttpResponse<byte[]> response = http.exchange(request);
        int status = response.statusCode();
        if (HEAD_REFUSALS.contains(status)) {
            Optional<Manifest> manifest = manifest(ref);
            if (status != 404 || manifest.isPresent()) {
                headIsUnusable(request.host(), "with HTTP " + status);
            }
            return manifest.map(Manifest::digest);
        }
        requireSuccess(request, response);
        Optional<String> header = response.headers().firstValue(DOCKER_CONTENT_DIGEST);
        if (header.isPresent()) {
            return Optional.of(parseDigest(header.get(), request));
        }
        Optional<Manifest> manifest = manifest(ref);
        if (manifest.isPresent()) {
            headIsUnusable(request.host(), "without a Docker-Content-Digest header");
        }
        return manifest.map(Manifest::digest);
    }

    /** Whether this client reads manifest digests from {@code host} ({@code host[:port]}) with GET only. */
    boolean headUnusable(String host) {
        return headlessHosts.contains(host);
    }

    /**
     * The manifest or index {@code ref} names, bytes exactly as served. When {@code ref} is pinned by digest the body
     * must have that digest (else a {@link RegistryException}).
     *
     * <p>While the registry says (Docker Hub's {@code ratelimit-limit} / {@code ratelimit-remaining} headers, Docker
     * docs "Docker Hub usage and limits") that at most 20% of its pull budget is left, these GETs are spaced so that
     * the rest lasts its window, at most max-backoff apart; the wait is spent here before the request, and an
     * interrupt during it throws {@code StopRequested}.
     *
     * @return empty when the tag, digest or repository does not exist
     */
    public Optional<Manifest> manifest(ImageReference ref) {
        RegistryRequest request = manifestRequest("GET", ref);
        HttpResponse<byte[]> response = http.exchange(request);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        requireSuccess(request, response);
        byte[] body = response.body();
        Digest actual = ref.digest() == null ? Digest.sha256Of(body) : Digests.of(ref.digest().algorithm(), body);
        if (ref.digest() != null && !actual.equals(ref.digest())) {
            throw new RegistryException("manifest of " + ref + " served by " + request.describe() + " has digest "
                    + actual + ", not the requested " + ref.digest(), 0, false, "DIGEST_INVALID");
        }
        return Optional.of(new Manifest(mediaType(response, body), body, actual));
    }

    /**
     * Stores {@code manifest} under {@code tag} (or a digest), bytes unchanged, so its digest stays the same: the way
     * to promote an image to new tags without re-uploading anything. The blobs (or, for an index, the manifests) it
     * references must already be in the repository ({@link #mountBlob}, {@link #pushBlob}).
     *
     * @return the digest the registry reports, equal to {@code manifest.digest()}
     */
    public Digest putManifest(String registry, String repository, String tag, Manifest manifest) {
        Objects.requireNonNull(manifest, "manifest");
        RegistryRequest request = new RegistryRequest("PUT", api(registry, repository, "/manifests/" + reference(tag)),
                registry, pushScope(repository), Map.of("Content-Type", manifest.mediaType()), manifest.content());
        HttpResponse<byte[]> response = http.exchange(request);
        requireSuccess(request, response);
        Digest stored = response.headers().firstValue(DOCKER_CONTENT_DIGEST)
                .map(value -> parseDigest(value, request)).orElse(manifest.digest());
        if (!stored.equals(manifest.digest())) {
            throw new RegistryException(request.describe() + ": the registry stored the manifest as " + stored
                    + " but its bytes have digest " + manifest.digest(), response.statusCode(), false, "DIGEST_INVALID");
        }
        return stored;
    }

    /**
     * Deletes the manifest {@code digest} from a repository ({@code DELETE /v2/<name>/manifests/<digest>}, OCI
     * distribution spec "Deleting manifests", token scope action {@code delete}). The registry removes every tag of
     * the repository that names the digest with it (the CNCF distribution registry does; tags of other repositories
     * are not touched); blobs stay until the registry's garbage collection.
     *
     * @return true when the manifest was deleted, false when the repository did not hold it (HTTP 404)
     * @throws RegistryException when the registry refuses (HTTP 405 {@code UNSUPPORTED}: deletes are turned off, as
     *                           in the CNCF registry without {@code storage.delete.enabled: true}) or fails
     */
    public boolean deleteManifest(String registry, String repository, Digest digest) {
        Objects.requireNonNull(digest, "digest");
        RegistryRequest request = RegistryRequest.of("DELETE", api(registry, repository, "/manifests/" + digest),
                registry, "repository:" + repository + ":delete", Map.of());
        HttpResponse<byte[]> response = http.exchange(request);
        if (response.statusCode() == 404) {
            return false;
        }
        requireSuccess(request, response);
        return true;
    }

    /**
     * All tags of a repository, following {@code Link: <...>; rel="next"} pages of up to 1000 tags.
     *
     * @return empty when the repository does not exist
     */
    public List<String> tags(String registry, String repository) {
        return tags(registry, repository, DEFAULT_PAGE_SIZE);
    }

    /** {@link #tags(String, String)} asking for pages of {@code pageSize} tags. */
    public List<String> tags(String registry, String repository, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1, got " + pageSize);
        }
        List<String> tags = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        URI next = api(registry, repository, "/tags/list?n=" + pageSize);
        while (next != null && seen.add(next)) {
            RegistryRequest request = RegistryRequest.of("GET", next, registry, pullScope(repository),
                    Map.of("Accept", "application/json"));
            HttpResponse<byte[]> response = http.exchange(request);
            if (response.statusCode() == 404) {
                return tags; // NAME_UNKNOWN: no such repository (or it vanished between pages)
            }
            requireSuccess(request, response);
            tags.addAll(ManifestJson.tags(response.body(), request.describe()));
            URI current = next;
            next = LinkHeader.next(response.headers().allValues("Link")).map(current::resolve).orElse(null);
        }
        return tags;
    }

    /**
     * A blob's bytes, following redirects to storage; fails unless they have {@code digest}. For configs and other
     * small JSON: a blob larger than {@value #MAX_BLOB_IN_MEMORY} bytes (32 MiB) fails ({@code SIZE_INVALID}) without
     * being read further; copy layers with {@link #copyBlob}.
     */
    public byte[] blob(String registry, String repository, Digest digest) {
        RegistryRequest request = RegistryRequest.of("GET", api(registry, repository, "/blobs/" + digest), registry,
                pullScope(repository), Map.of());
        byte[] body = http.retry().run(request.describe(), () -> {
            AtomicReference<InputStream> stream = new AtomicReference<>();
            HttpResponse<byte[]> response = RegistryRetry.requireNotTransient(http.once(request, new RegistryHttp.Body(
                    HttpRequest.BodyPublishers.noBody(), 0, settings.requestTimeout(), stream::set)));
            if (response.statusCode() == 404) {
                throw new RegistryException("blob " + digest + " not found in " + registry + "/" + repository, 404,
                        false, OciErrors.parse(response.body()).map(OciErrors.OciError::code).orElse("BLOB_UNKNOWN"));
            }
            requireSuccess(request, response);
            try (InputStream in = stream.get()) {
                long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                byte[] bytes = announced > MAX_BLOB_IN_MEMORY ? null : in.readNBytes(MAX_BLOB_IN_MEMORY + 1);
                if (bytes == null || bytes.length > MAX_BLOB_IN_MEMORY) {
                    throw new RegistryException("blob " + digest + " in " + registry + "/" + repository + " is larger"
                            + " than the " + MAX_BLOB_IN_MEMORY / (1024 * 1024) + " MiB read into memory (a layer, not"
                            + " a config?)", 0, false, "SIZE_INVALID");
                }
                return bytes;
            }
        });
        Digest actual = Digests.of(digest.algorithm(), body);
        if (!actual.equals(digest)) {
            throw new RegistryException("blob " + digest + " from " + registry + "/" + repository + " has digest "
                    + actual + " (" + body.length + " bytes)", 0, false, "DIGEST_INVALID");
        }
        return body;
    }

    /**
     * Where the tag {@code ref} points for {@code platform}: the tag's digest and, when that is an image index, the
     * digest of its image manifest for {@code platform} (see {@link PlatformResolver} for what counts as a platform's
     * image). One {@code HEAD} per call once a digest has been read.
     *
     * @return empty when the tag or the repository does not exist
     * @throws RegistryException code {@code PLATFORM_UNKNOWN} (permanent) when the tag has no image for
     *                           {@code platform}, naming the platforms it has; any other registry failure
     */
    public Optional<PlatformManifest> platformManifest(ImageReference ref, dev.freshen.events.image.Platform platform) {
        return platforms.resolve(ref, platform);
    }

    /**
     * The config of {@code platform}'s image of {@code ref}, strictly: for an index, of its entry for {@code platform}
     * (attestation entries skipped), empty when it has none; for an image manifest, present only when its config
     * names {@code platform} or no platform at all. Unlike {@link #imageConfig(ImageReference, String)} it never falls
     * back to another platform's image, so "was this platform built from that base?" is answered for that platform.
     *
     * @throws RegistryException with status 404 when {@code ref} (or a child its index lists) does not exist
     */
    public Optional<ImageConfig> imageConfigFor(ImageReference ref, dev.freshen.events.image.Platform platform) {
        return config(ref, index -> ImageIndexes.read(index).stream().filter(e -> e.platform().equals(platform))
                .map(ImageIndexes.Entry::digest).findFirst())
                .filter(image -> image.platform() == null || image.platform().equals(platform));
    }

    /**
     * The config of the image {@code ref} names; for an index, of its manifest for {@code settings.platform()}
     * (falling back to the first).
     *
     * @throws RegistryException with status 404 when the image does not exist
     */
    public ImageConfig imageConfig(ImageReference ref) {
        return imageConfig(ref, settings.platform());
    }

    /**
     * The config of the image {@code ref} names; for an index, of its manifest for {@code platform}
     * ({@code os/arch[/variant]}, falling back to the first image).
     *
     * @throws RegistryException with status 404 when the image does not exist
     */
    public ImageConfig imageConfig(ImageReference ref, String platform) {
        return config(ref, index -> Optional.of(ManifestJson.platformManifest(index, platform))).orElseThrow();
    }

    /**
     * The config of the image {@code ref} names, following indexes through {@code child} (the entry to read; empty:
     * none, and so no config).
     *
     * @throws RegistryException with status 404 when {@code ref} or a listed child does not exist
     */
    private Optional<ImageConfig> config(ImageReference ref, java.util.function.Function<Manifest, Optional<Digest>> child) {
        Manifest manifest = manifest(ref).orElseThrow(() -> new RegistryException("image " + ref
                + " does not exist (no manifest)", 404, false, "MANIFEST_UNKNOWN"));
        for (int depth = 0; manifest.isIndex(); depth++) {
            if (depth >= MAX_INDEX_DEPTH) {
                throw new RegistryException("image " + ref + ": indexes nested deeper than " + MAX_INDEX_DEPTH, 0, false,
                        "MANIFEST_INVALID");
            }
            Optional<Digest> entry = child.apply(manifest);
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            Manifest index = manifest;
            manifest = manifest(new ImageReference(ref.registry(), ref.repository(), null, entry.get()))
                    .orElseThrow(() -> new RegistryException("image " + ref + ": index " + index.digest()
                            + " lists manifest " + entry.get() + ", which does not exist", 404, false, "MANIFEST_UNKNOWN"));
        }
        Digest config = ManifestJson.configDigest(manifest);
        return Optional.of(ManifestJson.imageConfig(blob(ref.registry(), ref.repository(), config), config));
    }

    /** Whether the repository holds the blob ({@code HEAD /v2/<repo>/blobs/<digest>}). */
    public boolean blobExists(String registry, String repository, Digest digest) {
        RegistryRequest request = RegistryRequest.of("HEAD", api(registry, repository, "/blobs/" + digest), registry,
                pullScope(repository), Map.of());
        HttpResponse<byte[]> response = http.exchange(request);
        if (response.statusCode() == 404) {
            return false;
        }
        requireSuccess(request, response);
        return true;
    }

    /**
     * Links a blob of {@code fromRepository} into {@code toRepository} of the same registry without transferring it.
     *
     * @return true when mounted (201); false when the registry could not (202: the upload session it opened instead is
     * cancelled), so the caller has to upload the blob
     */
    public boolean mountBlob(String registry, String fromRepository, String toRepository, Digest digest) {
        new ImageReference(registry, fromRepository, null, null); // validates the name before it goes into the query
        RegistryRequest request = new RegistryRequest("POST", api(registry, toRepository,
                "/blobs/uploads/?mount=" + digest + "&from=" + fromRepository), registry,
                pushScope(toRepository) + " " + pullScope(fromRepository), Map.of(), new byte[0]);
        HttpResponse<byte[]> response = http.exchange(request);
        if (response.statusCode() == 201) {
            return true;
        }
        if (response.statusCode() == 202) {
            response.headers().firstValue("Location")
                    .ifPresent(location -> cancelUpload(registry, toRepository, request.uri().resolve(location)));
            return false;
        }
        throw OciErrors.failure(request.describe(), response);
    }

    /**
     * Uploads a blob (a monolithic upload: {@code POST} then {@code PUT ?digest=}) unless the repository already
     * holds it.
     *
     * @return the blob's sha256 digest
     */
    public Digest pushBlob(String registry, String repository, byte[] content) {
        Digest digest = Digest.sha256Of(content);
        if (blobExists(registry, repository, digest)) {
            return digest;
        }
        RegistryRequest start = new RegistryRequest("POST", api(registry, repository, "/blobs/uploads/"), registry,
                pushScope(repository), Map.of(), new byte[0]);
        HttpResponse<byte[]> started = http.exchange(start);
        if (started.statusCode() != 202 || started.headers().firstValue("Location").isEmpty()) {
            throw OciErrors.failure(start.describe() + " (expected 202 with a Location)", started);
        }
        URI location = start.uri().resolve(started.headers().firstValue("Location").get());
        String separator = location.getRawQuery() == null ? "?" : "&";
        RegistryRequest put = new RegistryRequest("PUT", URI.create(location + separator + "digest=" + digest), registry,
                pushScope(repository), Map.of("Content-Type", "application/octet-stream"), content);
        HttpResponse<byte[]> response = http.exchange(put);
        requireSuccess(put, response);
        return digest;
    }

    /**
     * Copies a blob from one repository (of any registry) to another as a stream, unless the target already holds it:
     * memory stays at one chunk buffer (16 MiB) whatever the blob's size.
     * The source is read once, following redirects to storage; the target gets the distribution spec's chunked
     * upload ({@code POST}, {@code PATCH} per chunk, {@code PUT ?digest=}), resumed from the offset the target
     * reports when a chunk fails, or a streamed monolithic {@code PUT} when it refuses chunks. Bytes that do not match
     * {@code digest} and {@code size} end the copy before the final {@code PUT}. See {@link BlobCopy} for the details.
     *
     * @param size the blob's size in bytes, from the descriptor that references it
     * @throws RegistryException with code {@code DIGEST_INVALID} (not transient) when the source's bytes do not match
     *                           {@code digest} or {@code size}, 404 {@code BLOB_UNKNOWN} when the source lacks the
     *                           blob, transient when a registry stays unavailable (the retries of one chunk used up)
     */
    public BlobCopyResult copyBlob(String fromRegistry, String fromRepository, String toRegistry, String toRepository,
                                   Digest digest, long size) {
        return copyBlob(fromRegistry, fromRepository, toRegistry, toRepository, digest, size,
                BlobCopy.DEFAULT_CHUNK_SIZE);
    }

    /**
     * {@link #copyBlob(String, String, String, String, Digest, long)} with chunks of {@code chunkSize} bytes (raised
     * to a target's {@code OCI-Chunk-Min-Length}; ECR needs at least 5 MiB).
     */
    public BlobCopyResult copyBlob(String fromRegistry, String fromRepository, String toRegistry, String toRepository,
                                   Digest digest, long size, int chunkSize) {
        Objects.requireNonNull(digest, "digest");
        if (blobExists(toRegistry, toRepository, digest)) {
            return new BlobCopyResult(digest, size, true, false, 0, 0, 0);
        }
        BlobEndpoint from = new BlobEndpoint(fromRegistry, fromRepository,
                api(fromRegistry, fromRepository, "/blobs/" + digest), api(fromRegistry, fromRepository, "/blobs/uploads/"));
        BlobEndpoint to = new BlobEndpoint(toRegistry, toRepository,
                api(toRegistry, toRepository, "/blobs/" + digest), api(toRegistry, toRepository, "/blobs/uploads/"));
        BlobCopyResult result = new BlobCopy(http, settings.requestTimeout(), chunkSize, from.toString(),
                SourceReader.registryBlob(http, settings.requestTimeout(), from, digest), to, digest, size).run();
        RegistryLog.debug(() -> "copied " + digest + " (" + size + " bytes) from " + from + " to " + to
                + (result.chunked() ? " in " + result.chunks() + " chunks, " + result.resumedChunks() + " resumed"
                : " in one request"));
        return result;
    }

    /**
     * Uploads a blob of any size as a stream, the way {@link #copyBlob} uploads (chunks of {@code chunkSize} bytes,
     * resumed, digest and size checked before the final {@code PUT}), unless the repository already holds it. Memory:
     * one chunk buffer.
     *
     * @param size   the blob's size in bytes
     * @param source the blob's bytes, opened again at the offset reached when reading fails
     * @throws RegistryException with code {@code DIGEST_INVALID} when the bytes do not match {@code digest} and
     *                           {@code size}
     */
    public BlobCopyResult pushBlob(String registry, String repository, Digest digest, long size, BlobSource source,
                                   int chunkSize) {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(source, "source");
        if (blobExists(registry, repository, digest)) {
            return new BlobCopyResult(digest, size, true, false, 0, 0, 0);
        }
        BlobEndpoint to = new BlobEndpoint(registry, repository, api(registry, repository, "/blobs/" + digest),
                api(registry, repository, "/blobs/uploads/"));
        return new BlobCopy(http, settings.requestTimeout(), chunkSize, "the given stream", source, to, digest, size).run();
    }

    /** What this client sent and received so far, in total and per host. */
    public RegistryStats stats() {
        return transport.stats();
    }

    private void cancelUpload(String registry, String repository, URI upload) {
        http.cancelUpload(RegistryRequest.of("DELETE", upload, registry, pushScope(repository), Map.of()));
    }

    private void headIsUnusable(String host, String how) {
        if (headlessHosts.add(host)) {
            RegistryLog.info("Registry " + host + " answers HEAD requests for manifests " + how
                    + " but serves them to GET; its manifest digests are read with GET from now on (on registries with"
                    + " a pull rate limit a GET counts where a HEAD would not)");
        }
    }

    private RegistryRequest manifestRequest(String method, ImageReference ref) {
        String reference = ref.digest() != null ? ref.digest().toString() : ref.tagOrLatest();
        return RegistryRequest.of(method, uri(ref, "/manifests/" + reference), ref.registry(),
                pullScope(ref.repository()), Map.of("Accept", MediaTypes.MANIFEST_ACCEPT));
    }

    private URI api(String registry, String repository, String path) {
        return uri(new ImageReference(Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(repository, "repository"), null, null), path);
    }

    private URI uri(ImageReference ref, String path) {
        String host = ref.apiHost();
        boolean insecure = settings.isInsecure(host) || settings.isInsecure(ref.registry());
        return URI.create((insecure ? "http" : "https") + "://" + host + "/v2/" + ref.repository() + path);
    }

    /** A tag, or a digest for putting a manifest by digest. */
    private static String reference(String tag) {
        Objects.requireNonNull(tag, "tag");
        if (tag.contains(":")) {
            return Digest.parse(tag).toString();
        }
        return new ImageReference("localhost", "x", tag, null).tag(); // validates the tag
    }

    private static String pullScope(String repository) {
        return "repository:" + repository + ":pull";
    }

    private static String pushScope(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    private static String mediaType(HttpResponse<byte[]> response, byte[] body) {
        String header = response.headers().firstValue("Content-Type").orElse("");
        int semicolon = header.indexOf(';');
        String type = (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        boolean generic = type.isEmpty() || type.equals("application/json") || type.equals("text/plain")
                || type.equals("application/octet-stream");
        return generic ? ManifestJson.mediaTypeOf(body) : type;
    }

    private static Digest parseDigest(String value, RegistryRequest request) {
        try {
            return Digest.parse(value.trim());
        } catch (IllegalArgumentException e) {
            throw new RegistryException(request.describe() + " returned an invalid " + DOCKER_CONTENT_DIGEST + ": "
                    + e.getMessage(), 0, false, null, e);
        }
    }

    private static void requireSuccess(RegistryRequest request, HttpResponse<byte[]> response) {
        if (response.statusCode() / 100 != 2) {
            throw OciErrors.failure(request.describe(), response);
        }
    }
}
