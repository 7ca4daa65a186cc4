package dev.freshen.registry;

import dev.freshen.events.image.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The source side of a {@link BlobCopy}: the blob as a stream, hashed as it is read, reopened at the offset reached
 * after a failure (each read of a chunk retried by the shared retry layer, with its own time-out: a watchdog closes a
 * stream that sends nothing for the request time-out). Not thread-safe: one copy reads it.
 */
final class SourceReader implements AutoCloseable {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "blob-copy-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private final RegistryHttp http;
    private final Duration timeout;
    private final BlobSource blobSource;
    private final String from;
    private final Digest digest;
    private final long size;
    private final Function<String, RegistryException> digestInvalid;
    private final MessageDigest hash;
    private InputStream in;
    private long read;

    /**
     * @param from          what the source is, for messages ({@code registry/repository})
     * @param size          the blob's size in bytes, as its descriptor says
     * @param digestInvalid the failure for bytes that do not match the descriptor, given what is wrong
     *                      ("has digest …", "ended after …")
     */
    SourceReader(RegistryHttp http, Duration timeout, BlobSource blobSource, String from, Digest digest, long size,
                 Function<String, RegistryException> digestInvalid) {
        this.http = http;
        this.timeout = timeout;
        this.blobSource = blobSource;
        this.from = from;
        this.digest = digest;
        this.size = size;
        this.digestInvalid = digestInvalid;
        this.hash = hasher(digest);
    }

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
                        throw digestInvalid.apply("ended after " + read + " bytes, but its descriptor says " + size);
                    }
                    hash.update(buffer, filled[0], n);
                    filled[0] += n;
                    read += n;
                }
                if (last && stream.read() >= 0) {
                    throw digestInvalid.apply("is longer than the " + size + " bytes its descriptor says");
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
            throw digestInvalid.apply("has digest " + actual + " (" + read + " bytes)");
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
                    SourceReader.this.read += n;
                    if (SourceReader.this.read > size) {
                        mismatch.set("is longer than the " + size + " bytes its descriptor says");
                        throw new IOException("blob longer than its descriptor says");
                    }
                } else if (n < 0) {
                    Digest actual = new Digest(digest.algorithm(), HexFormat.of().formatHex(hash.digest()));
                    if (SourceReader.this.read != size) {
                        mismatch.set("ended after " + SourceReader.this.read + " bytes, but its descriptor says " + size);
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
                SourceReader.this.close();
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

    /**
     * A registry's blob: {@code GET} following redirects (credentials only to the registry itself), from an offset
     * with {@code Range: bytes=<offset>-} (a registry ignoring it answers 200 and the bytes before the offset are
     * skipped). One attempt per call; transient statuses and I/O errors are {@link IOException}s or transient
     * failures for the caller's retry.
     */
    static BlobSource registryBlob(RegistryHttp http, Duration timeout, BlobEndpoint from, Digest digest) {
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

    /** A new hash of {@code digest}'s algorithm (sha256, sha512). */
    static MessageDigest hasher(Digest digest) {
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

    /** A copy of {@code hash} in its current state. */
    static MessageDigest copy(MessageDigest hash) {
        try {
            return (MessageDigest) hash.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(hash.getAlgorithm() + " cannot be copied", e);
        }
    }

    /** At most {@code limit} bytes of a stream, closing it with itself. */
    static final class Bounded extends java.io.FilterInputStream {
        private long left;

        Bounded(InputStream in, long limit) {
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

    static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
