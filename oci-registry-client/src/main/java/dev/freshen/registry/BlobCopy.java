package dev.freshen.registry;

import dev.freshen.events.image.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One streamed blob copy ({@link RegistryClient#copyBlob}): the source blob is read once as a stream, into one buffer
 * of {@code chunkSize} bytes, and uploaded with the distribution spec's chunked upload ({@code POST}, then one
 * {@code PATCH} per chunk with {@code Content-Range}, following each response's {@code Location}, then
 * {@code PUT ?digest=}). Memory: the one buffer. The digest and size are checked while reading; a mismatch ends the
 * copy before the last chunk and the final {@code PUT} (the upload session is cancelled).
 *
 * <p><b>Time-outs.</b> Each chunk has its own: reading it from the source and sending its {@code PATCH} each get
 * the request time-out. A streamed monolithic {@code PUT} gets the request time-out plus one second per MiB.
 *
 * <p><b>Resume, target side.</b> When a {@code PATCH} fails (I/O error, time-out, 5xx, 429), the next attempt of the
 * shared retry layer ({@link RegistryRetry}) asks the upload's status ({@code GET <location>}: 204 with
 * {@code Range: 0-<last>}) and sends the chunk again from the reported offset, out of the buffer: a registry
 * acknowledges a chunk only when its {@code PATCH} is answered, so the offset lies within the chunk in flight. When the
 * registry no longer knows the session, or holds less than the chunks before (the CNCF registry 2.8 drops a session
 * whose last {@code PATCH} arrived in part), the attempt opens a new session, sends it the bytes before the chunk in one
 * {@code PATCH} streamed from the source read again from the start (their hash compared with the first reading's),
 * then the chunk from the buffer. Re-reading from the start rather than with a {@code Range} request keeps the one
 * code path for every source and costs nothing in memory; it happens only for lost sessions.
 *
 * <p><b>Resume, source side.</b> When reading the source fails, the next attempt opens it again at the offset reached
 * ({@link BlobSource#open}; for a registry's blob a {@code Range: bytes=<read>-} request), so no byte is hashed twice;
 * only a lost session (above) reads the source again from the start.
 *
 * <p><b>Fallback.</b> A target that refuses the first chunk ({@code PATCH} answered 400, 405, 416 or 501) gets a
 * monolithic {@code PUT} in a new session, its body streamed from the source with a known length; each retry of it
 * opens the source again.
 */
final class BlobCopy {

    /** The chunk size {@link RegistryClient#copyBlob} uses: 16 MiB (ECR needs parts of at least 5 MiB but the last). */
    static final int DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;

    /** The largest {@code OCI-Chunk-Min-Length} honoured; a target asking for more gets a monolithic upload. */
    static final int MAX_CHUNK_SIZE = 64 * 1024 * 1024;

    private static final long BYTES_PER_SECOND_ALLOWED = 1024 * 1024;
    private static final int SLICE = 64 * 1024;
    private static final Pattern RANGE = Pattern.compile("(?:bytes=)?0-(\\d+)");
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "blob-copy-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    /** A registry, a repository and its blob URIs. */
    record Endpoint(String registry, String repository, URI blob, URI uploads) {
        String pullScope() {
            return "repository:" + repository + ":pull";
        }

        String pushScope() {
            return "repository:" + repository + ":pull,push";
        }

        @Override
        public String toString() {
            return registry + "/" + repository;
        }
    }

    /** The target answered the first chunk with a refusal: upload monolithically instead. */
    private static final class ChunksRefused extends RuntimeException {
        ChunksRefused(int status) {
            super("HTTP " + status, null, false, false);
        }
    }

    private final RegistryHttp http;
    private final Duration timeout;
    private final int chunkSize;
    private final String from;
    private final BlobSource blobSource;
    private final Endpoint to;
    private final Digest digest;
    private final long size;
    private int resumedChunks;
    private int newSessions;

    /**
     * @param from   what the source is, for messages ({@code registry/repository})
     * @param source the blob's bytes ({@link #registrySource} for a registry's blob)
     */
    BlobCopy(RegistryHttp http, Duration timeout, int chunkSize, String from, BlobSource source, Endpoint to,
             Digest digest, long size) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1 byte, got " + chunkSize);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
        this.http = http;
        this.timeout = timeout;
        this.chunkSize = chunkSize;
        this.from = from;
        this.blobSource = source;
        this.to = to;
        this.digest = digest;
        this.size = size;
        hasher(); // fails early for an unsupported algorithm
    }

    /** Copies the blob (the caller has checked that the target does not hold it). */
    BlobCopyResult run() {
        Session session = start();
        int chunk = session.minChunk > MAX_CHUNK_SIZE ? -1 : (int) Math.max(chunkSize, session.minChunk);
        if (chunk < 0) {
            cancel(session.location);
            return monolithic();
        }
        try (Source source = new Source()) {
            byte[] buffer = new byte[(int) Math.min(chunk, Math.max(size, 1))];
            URI location = session.location;
            long sent = 0;
            int chunks = 0;
            do {
                int length = (int) Math.min(buffer.length, size - sent);
                boolean last = sent + length == size;
                MessageDigest beforeChunk = source.hashSoFar();
                try {
                    source.fill(buffer, length, last);
                    if (last) {
                        source.verify();
                    }
                } catch (RegistryException e) {
                    cancel(location);
                    throw e;
                }
                try {
                    if (length > 0) {
                        location = patch(location, buffer, sent, length, chunks == 0, beforeChunk);
                        chunks++;
                    }
                } catch (ChunksRefused refused) {
                    RegistryLog.debug(() -> "the registry " + to.registry() + " refused a chunked upload (" + refused.getMessage()
                            + "): uploading " + digest + " in one request");
                    cancel(location);
                    source.close();
                    return monolithic();
                }
                sent += length;
            } while (sent < size);
            finish(location);
            return new BlobCopyResult(digest, size, false, true, chunks, resumedChunks, newSessions);
        }
    }

    private record Session(URI location, long minChunk) {
    }

    /** Opens an upload session ({@code POST}), retried. */
    private Session start() {
        return http.retry().run("POST " + RegistryRequest.redact(to.uploads()), this::startOnce);
    }

    /** Opens an upload session: one attempt, for callers already inside the retry layer. */
    private Session startOnce() throws IOException {
        RegistryRequest request = RegistryRequest.of("POST", to.uploads(), to.registry(), to.pushScope(), Map.of());
        HttpResponse<byte[]> started = RegistryRetry.requireNotTransient(http.once(request, noBody()));
        Optional<String> location = started.headers().firstValue("Location");
        if (started.statusCode() != 202 || location.isEmpty()) {
            throw OciErrors.failure(request.describe() + " (expected 202 with a Location)", started);
        }
        long minChunk = started.headers().firstValueAsLong("OCI-Chunk-Min-Length").orElse(0);
        return new Session(request.uri().resolve(location.get().trim()), minChunk);
    }

    /**
     * Sends {@code buffer[0, length)} as the bytes at {@code start}; after a failed attempt, asks the upload's status
     * and sends the rest from there.
     *
     * @return the upload's next location
     */
    private URI patch(URI location, byte[] buffer, long start, int length, boolean first, MessageDigest beforeChunk) {
        long end = start + length; // exclusive
        AtomicReference<URI> at = new AtomicReference<>(location);
        AtomicBoolean failedBefore = new AtomicBoolean();
        AtomicBoolean resumed = new AtomicBoolean();
        HttpResponse<byte[]> response = http.retry().run("PATCH " + RegistryRequest.redact(location), () -> {
            long offset = start;
            if (failedBefore.get()) {
                Optional<HttpResponse<byte[]>> status = uploadStatus(at.get());
                long reported = status.map(answer -> uploaded(answer, start)).orElse(-1L);
                if (reported == end) {
                    return status.get(); // the chunk arrived, only its answer was lost
                }
                if (reported >= start && reported < end) {
                    status.get().headers().firstValue("Location").ifPresent(l -> at.set(at.get().resolve(l.trim())));
                    offset = reported;
                    RegistryLog.warn("resuming the upload of " + digest + " to " + to + " at byte " + offset + " of "
                            + size);
                } else {
                    RegistryLog.warn("the upload of " + digest + " to " + to + " was lost at byte " + start + " of "
                            + size + (reported < 0 ? "" : " (the registry reports " + reported + " bytes)")
                            + ": sending it again in a new upload session");
                    at.set(restart(start, beforeChunk));
                    newSessions++;
                }
                if (resumed.compareAndSet(false, true)) {
                    resumedChunks++;
                }
            }
            failedBefore.set(true);
            int skip = (int) (offset - start);
            RegistryRequest request = RegistryRequest.of("PATCH", at.get(), to.registry(), to.pushScope(), Map.of(
                    "Content-Type", "application/octet-stream",
                    "Content-Range", offset + "-" + (end - 1)));
            HttpResponse<byte[]> answer = http.once(request, new RegistryHttp.Body(
                    wrapping(buffer, skip, length - skip), length - skip, timeout, null));
            return RegistryRetry.requireNotTransient(answer);
        });
        int status = response.statusCode();
        if (status / 100 != 2) {
            if (first && !resumed.get() && (status == 400 || status == 405 || status == 416 || status == 501)) {
                throw new ChunksRefused(status);
            }
            throw OciErrors.failure("PATCH " + RegistryRequest.redact(at.get()) + " (bytes " + start + "-" + (end - 1)
                    + " of " + digest + ")", response);
        }
        Optional<String> range = response.headers().firstValue("Range");
        if (range.isPresent() && uploaded(response, start) != end) {
            throw unexpectedRange("the registry acknowledged " + range.get() + " after bytes " + start + "-" + (end - 1));
        }
        return response.headers().firstValue("Location").map(l -> at.get().resolve(l.trim())).orElse(at.get());
    }

    /**
     * {@code GET <location>}: 204 with the range received so far, or empty when the target no longer knows the
     * session (any other answer but a transient one, which fails the attempt).
     */
    private Optional<HttpResponse<byte[]>> uploadStatus(URI location) throws IOException {
        RegistryRequest request = RegistryRequest.of("GET", location, to.registry(), to.pushScope(), Map.of());
        HttpResponse<byte[]> status = RegistryRetry.requireNotTransient(http.once(request, noBody()));
        if (status.statusCode() != 204 && status.statusCode() != 200) {
            RegistryLog.debug(() -> "the upload session " + request.describe() + " is gone: " + OciErrors.summary(status));
            return Optional.empty();
        }
        return Optional.of(status);
    }

    /**
     * A new upload session holding the blob's first {@code prefix} bytes, read again from the source in one streamed
     * {@code PATCH} (its time-out: the request time-out plus 1 s per MiB), checked against {@code expected} (the hash
     * of those bytes when they were first read).
     *
     * @return the session's next location
     */
    private URI restart(long prefix, MessageDigest expected) throws IOException {
        Session session = startOnce();
        if (prefix == 0) {
            return session.location();
        }
        AtomicReference<MessageDigest> hashing = new AtomicReference<>();
        HttpRequest.BodyPublisher again = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
            MessageDigest hash = hasher();
            hashing.set(hash);
            try {
                return new DigestInputStream(new BoundedInputStream(blobSource.open(0), prefix), hash);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), prefix);
        RegistryRequest request = RegistryRequest.of("PATCH", session.location(), to.registry(), to.pushScope(), Map.of(
                "Content-Type", "application/octet-stream",
                "Content-Range", "0-" + (prefix - 1)));
        HttpResponse<byte[]> answer = RegistryRetry.requireNotTransient(http.once(request, new RegistryHttp.Body(again,
                prefix, timeout.plusSeconds(prefix / BYTES_PER_SECOND_ALLOWED), null)));
        if (answer.statusCode() / 100 != 2) {
            throw OciErrors.failure(request.describe() + " (sending bytes 0-" + (prefix - 1) + " of " + digest
                    + " again)", answer);
        }
        URI next = answer.headers().firstValue("Location").map(l -> session.location().resolve(l.trim()))
                .orElse(session.location());
        if (hashing.get() == null) {
            throw new IOException("the registry answered before the bytes 0-" + (prefix - 1) + " were sent again");
        }
        if (!MessageDigest.isEqual(hashing.get().digest(), copy(expected).digest())) {
            cancel(next);
            throw digestInvalid("served other bytes when read again (bytes 0-" + (prefix - 1) + ")");
        }
        return next;
    }

    private static MessageDigest copy(MessageDigest hash) {
        try {
            return (MessageDigest) hash.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(hash.getAlgorithm() + " cannot be copied", e);
        }
    }

    /** At most {@code limit} bytes of a stream, closing it with itself. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /**
     * The bytes a status or {@code PATCH} response says the target holds ({@code Range: 0-<last>}), or -1 without a
     * usable {@code Range} header.
     */
    private static long uploaded(HttpResponse<byte[]> response, long chunkStart) {
        String range = response.headers().firstValue("Range").orElse("").trim();
        Matcher matcher = RANGE.matcher(range);
        if (!matcher.matches()) {
            return -1;
        }
        long last = Long.parseLong(matcher.group(1));
        // "0-0" means nothing as well as one byte (the CNCF registry sends it for an empty upload)
        return last == 0 && chunkStart == 0 ? 0 : last + 1;
    }

    private RegistryException unexpectedRange(String why) {
        return new RegistryException("the upload of " + digest + " to " + to + " failed: " + why, 0, true,
                "BLOB_UPLOAD_INVALID");
    }

    private void finish(URI location) {
        RegistryRequest put = new RegistryRequest("PUT", withDigest(location), to.registry(), to.pushScope(),
                Map.of("Content-Type", "application/octet-stream"), new byte[0]);
        HttpResponse<byte[]> response = http.exchange(put);
        if (response.statusCode() / 100 != 2) {
            throw OciErrors.failure(put.describe() + " (completing the upload of " + digest + ")", response);
        }
        requireStoredDigest(put, response);
    }

    /**
     * One request with the whole blob streamed from the source, in a new session per attempt (a failed {@code PUT}
     * leaves its session unusable).
     */
    private BlobCopyResult monolithic() {
        Duration putTimeout = timeout.plusSeconds(size / BYTES_PER_SECOND_ALLOWED);
        AtomicReference<String> mismatch = new AtomicReference<>();
        HttpResponse<byte[]> response = http.retry().run("PUT blob " + digest + " to " + to, () -> {
            Session session = startOnce();
            mismatch.set(null);
            Source source = new Source();
            InputStream body = source.verifying(mismatch);
            AtomicBoolean used = new AtomicBoolean();
            RegistryRequest put = RegistryRequest.of("PUT", withDigest(session.location), to.registry(),
                    to.pushScope(), Map.of("Content-Type", "application/octet-stream"));
            HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> {
                        if (used.compareAndSet(false, true)) {
                            return body;
                        }
                        throw new UncheckedIOException(new IOException("the body of a monolithic upload cannot be sent twice"));
                    }), size);
            try {
                HttpResponse<byte[]> answer = http.once(put, new RegistryHttp.Body(publisher, size, putTimeout, null));
                if (mismatch.get() != null) {
                    cancel(session.location);
                    throw digestInvalid(mismatch.get());
                }
                return RegistryRetry.requireNotTransient(answer);
            } catch (IOException e) {
                if (mismatch.get() != null) {
                    throw digestInvalid(mismatch.get());
                }
                throw e;
            } finally {
                source.close();
            }
        });
        if (response.statusCode() / 100 != 2) {
            throw OciErrors.failure("PUT " + RegistryRequest.redact(to.uploads()) + " (uploading " + digest + " in one request)",
                    response);
        }
        return new BlobCopyResult(digest, size, false, false, 0, 0, 0);
    }

    private void requireStoredDigest(RegistryRequest put, HttpResponse<byte[]> response) {
        Optional<String> stored = response.headers().firstValue(RegistryClient.DOCKER_CONTENT_DIGEST);
        if (stored.isPresent() && !stored.get().trim().equals(digest.toString())) {
            throw new RegistryException(put.describe() + ": the registry stored the blob as " + stored.get().trim()
                    + ", not " + digest, response.statusCode(), false, "DIGEST_INVALID");
        }
    }

    private URI withDigest(URI location) {
        return URI.create(location + (location.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
    }

    private void cancel(URI location) {
        RegistryRequest request = RegistryRequest.of("DELETE", location, to.registry(), to.pushScope(), Map.of());
        try {
            HttpResponse<byte[]> response = http.exchange(request);
            if (response.statusCode() / 100 != 2 && response.statusCode() != 404) {
                RegistryLog.warn("could not cancel the upload session " + request.describe() + ": HTTP "
                        + response.statusCode());
            }
        } catch (RegistryException e) {
            RegistryLog.warn("could not cancel the upload session " + request.describe() + ": " + e.getMessage());
        }
    }

    private RegistryException digestInvalid(String what) {
        return new RegistryException("blob " + digest + " from " + from + " " + what + "; nothing was stored in " + to,
                0, false, "DIGEST_INVALID");
    }

    private RegistryHttp.Body noBody() {
        return new RegistryHttp.Body(HttpRequest.BodyPublishers.noBody(), 0, timeout, null);
    }

    private MessageDigest hasher() {
        String jdkName = switch (digest.algorithm()) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported digest algorithm " + digest.algorithm());
        };
        try {
            return MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jdkName + " is not available in this JVM", e);
        }
    }

    /** The source blob as a stream, hashed as it is read, reopened at the read offset after a failure. */
    private final class Source implements AutoCloseable {
        private final MessageDigest hash = hasher();
        private InputStream in;
        private long read;

        /** Reads exactly {@code length} bytes into {@code buffer} (retried); for the last chunk, also the end. */
        void fill(byte[] buffer, int length, boolean last) {
            int[] filled = {0};
            http.retry().run("reading blob " + digest + " from " + from + " (bytes " + read + "-)", () -> {
                if (in == null) {
                    open();
                }
                InputStream stream = in;
                AtomicBoolean timedOut = new AtomicBoolean();
                ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
                    timedOut.set(true);
                    closeQuietly(stream);
                }, timeout.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    while (filled[0] < length) {
                        int n = stream.read(buffer, filled[0], length - filled[0]);
                        if (n < 0) {
                            throw digestInvalid("ended after " + read + " bytes, but its descriptor says " + size);
                        }
                        hash.update(buffer, filled[0], n);
                        filled[0] += n;
                        read += n;
                    }
                    if (last && stream.read() >= 0) {
                        throw digestInvalid("is longer than the " + size + " bytes its descriptor says");
                    }
                    return null;
                } catch (IOException e) {
                    closeQuietly(stream);
                    in = null;
                    throw timedOut.get() ? new IOException("no data within " + timeout.toSeconds() + "s", e) : e;
                } finally {
                    watchdog.cancel(false);
                }
            });
        }

        /** A copy of the hash of the bytes read so far. */
        MessageDigest hashSoFar() {
            return copy(hash);
        }

        /** Fails with DIGEST_INVALID unless the bytes read have the digest. */
        void verify() {
            Digest actual = new Digest(digest.algorithm(), HexFormat.of().formatHex(hash.digest()));
            if (!actual.equals(digest)) {
                throw digestInvalid("has digest " + actual + " (" + read + " bytes)");
            }
        }

        /** The whole blob in one stream, not retried: its end records a size or digest mismatch in {@code mismatch}. */
        InputStream verifying(AtomicReference<String> mismatch) throws IOException {
            open();
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    if (n > 0) {
                        hash.update(buffer, offset, n);
                        Source.this.read += n;
                        if (Source.this.read > size) {
                            mismatch.set("is longer than the " + size + " bytes its descriptor says");
                            throw new IOException("blob longer than its descriptor says");
                        }
                    } else if (n < 0) {
                        Digest actual = new Digest(digest.algorithm(), HexFormat.of().formatHex(hash.digest()));
                        if (Source.this.read != size) {
                            mismatch.set("ended after " + Source.this.read + " bytes, but its descriptor says " + size);
                        } else if (!actual.equals(digest)) {
                            mismatch.set("has digest " + actual + " (" + size + " bytes)");
                        }
                        if (mismatch.get() != null) {
                            throw new IOException("blob does not match its descriptor");
                        }
                    }
                    return n;
                }

                @Override
                public void close() {
                    Source.this.close();
                }
            };
        }

        private void open() throws IOException {
            // at the end already (only the check for more bytes failed): a Range request would be unsatisfiable
            in = read == size ? InputStream.nullInputStream() : blobSource.open(read);
        }

        @Override
        public void close() {
            if (in != null) {
                closeQuietly(in);
                in = null;
            }
        }
    }

    /**
     * A registry's blob: {@code GET} following redirects (credentials only to the registry itself), from an offset
     * with {@code Range: bytes=<offset>-} (a registry ignoring it answers 200 and the bytes before the offset are
     * skipped). One attempt per call; transient statuses and I/O errors are {@link IOException}s or transient
     * failures for the caller's retry.
     */
    static BlobSource registrySource(RegistryHttp http, Duration timeout, Endpoint from, Digest digest) {
        return offset -> {
            AtomicReference<InputStream> body = new AtomicReference<>();
            RegistryRequest request = RegistryRequest.of("GET", from.blob(), from.registry(), from.pullScope(),
                    offset == 0 ? Map.of() : Map.of("Range", "bytes=" + offset + "-"));
            HttpResponse<byte[]> response = RegistryRetry.requireNotTransient(http.once(request,
                    new RegistryHttp.Body(HttpRequest.BodyPublishers.noBody(), 0, timeout, body::set)));
            if (response.statusCode() == 404) {
                throw new RegistryException("blob " + digest + " not found in " + from, 404, false,
                        OciErrors.parse(response.body()).map(OciErrors.OciError::code).orElse("BLOB_UNKNOWN"));
            }
            if (response.statusCode() / 100 != 2) {
                throw OciErrors.failure(request.describe(), response);
            }
            InputStream stream = body.get();
            if (offset > 0 && response.statusCode() == 200) {
                stream.skipNBytes(offset); // EOFException (an IOException) when the blob is shorter now
            } else if (offset > 0) {
                String range = response.headers().firstValue("Content-Range").orElse("");
                if (!range.startsWith("bytes " + offset + "-")) {
                    closeQuietly(stream);
                    throw new IOException("the source answered Range " + offset + "- with Content-Range '" + range + "'");
                }
            }
            return stream;
        };
    }

    /**
     * {@code buffer[offset, offset + length)} as a request body in 64 KiB slices, without copying it
     * ({@code BodyPublishers.ofByteArray} copies the whole range up front: a second chunk's worth of memory).
     */
    static HttpRequest.BodyPublisher wrapping(byte[] buffer, int offset, int length) {
        int end = offset + length;
        Flow.Publisher<ByteBuffer> slices = subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private int position = offset;
            private boolean done;

            @Override
            public synchronized void request(long n) {
                if (done) {
                    return;
                }
                if (n <= 0) {
                    done = true;
                    subscriber.onError(new IllegalArgumentException("demand must be positive, got " + n));
                    return;
                }
                for (long left = n; left > 0 && position < end && !done; left--) {
                    int part = Math.min(SLICE, end - position);
                    ByteBuffer slice = ByteBuffer.wrap(buffer, position, part).slice();
                    position += part;
                    subscriber.onNext(slice);
                }
                if (position >= end && !done) {
                    done = true;
                    subscriber.onComplete();
                }
            }

            @Override
            public synchronized void cancel() {
                done = true;
            }
        });
        return HttpRequest.BodyPublishers.fromPublisher(slices, length);
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
