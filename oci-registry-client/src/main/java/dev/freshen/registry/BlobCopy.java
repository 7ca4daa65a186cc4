package dev.freshen.registry;

import dev.freshen.events.image.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
    private static final Pattern RANGE = Pattern.compile("(?:bytes=)?0-(\\d+)");

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
    private final BlobEndpoint to;
    private final Digest digest;
    private final long size;
    private int resumedChunks;
    private int newSessions;

    /**
     * @param from   what the source is, for messages ({@code registry/repository})
     * @param source the blob's bytes ({@link SourceReader#registryBlob} for a registry's blob)
     */
    BlobCopy(RegistryHttp http, Duration timeout, int chunkSize, String from, BlobSource source, BlobEndpoint to,
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
        SourceReader.hasher(digest); // fails early for an unsupported algorithm
    }

    /** Copies the blob (the caller has checked that the target does not hold it). */
    BlobCopyResult run() {
        Session session = start();
        int chunk = session.minChunk > MAX_CHUNK_SIZE ? -1 : (int) Math.max(chunkSize, session.minChunk);
        if (chunk < 0) {
            cancel(session.location);
            return monolithic();
        }
        try (SourceReader source = reader()) {
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
                    ChunkBody.of(buffer, skip, length - skip), length - skip, timeout, null));
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
            MessageDigest hash = SourceReader.hasher(digest);
            hashing.set(hash);
            try {
                return new DigestInputStream(new SourceReader.Bounded(blobSource.open(0), prefix), hash);
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
        if (!MessageDigest.isEqual(hashing.get().digest(), SourceReader.copy(expected).digest())) {
            cancel(next);
            throw digestInvalid("served other bytes when read again (bytes 0-" + (prefix - 1) + ")");
        }
        return next;
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
            SourceReader source = reader();
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
        http.cancelUpload(RegistryRequest.of("DELETE", location, to.registry(), to.pushScope(), Map.of()));
    }

    /** The source, read from its start. */
    private SourceReader reader() {
        return new SourceReader(http, timeout, blobSource, from, digest, size, this::digestInvalid);
    }

    private RegistryException digestInvalid(String what) {
        return new RegistryException("blob " + digest + " from " + from + " " + what + "; nothing was stored in " + to,
                0, false, "DIGEST_INVALID");
    }

    private RegistryHttp.Body noBody() {
        return new RegistryHttp.Body(HttpRequest.BodyPublishers.noBody(), 0, timeout, null);
    }
}
