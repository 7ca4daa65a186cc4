package dev.freshen.registry;

import dev.freshen.events.image.Digest;
import dev.freshen.testing.RegistryProcess;
import dev.freshen.testing.TcpFaultProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RegistryClient#copyBlob} between two real {@code docker-registry} processes: chunked, resumed after a
 * dropped connection, refused on a digest mismatch.
 */
class BlobCopyIT {

    private static final int MIB = 1024 * 1024;

    private static RegistryProcess source;
    private static RegistryProcess target;
    private final RegistryClient client = new RegistryClient(RegistrySettings.defaults()
            .withRetries(4, Duration.ofMillis(100)));

    @BeforeAll
    static void startRegistries() {
        source = RegistryProcess.start(RegistryProcess.newDirectory("freshen-copy-source-"), "");
        target = RegistryProcess.start(RegistryProcess.newDirectory("freshen-copy-target-"), "");
    }

    @AfterAll
    static void stopRegistries() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void aLayerOf64MiBIsCopiedInChunksAndTheTargetServesTheSameBytes() {
        byte[] layer = bytes(64 * MIB, 1);
        Digest digest = client.pushBlob(source.host(), "app/base", layer);

        BlobCopyResult copied = client.copyBlob(source.host(), "app/base", target.host(), "team/app", digest,
                layer.length, 5 * MIB);

        assertEquals(new BlobCopyResult(digest, layer.length, false, true, 13, 0, 0), copied, "13 chunks of 5 MiB");
        assertArrayEquals(layer, served(target, "team/app", digest));
        assertTrue(client.copyBlob(source.host(), "app/base", target.host(), "team/app", digest, layer.length, 5 * MIB)
                .alreadyPresent(), "a second copy finds the blob there");
    }

    @Test
    void aChunkWhoseConnectionDropsIsResumedFromTheOffsetTheTargetReports() {
        byte[] layer = bytes(16 * MIB, 2);
        Digest digest = client.pushBlob(source.host(), "app/resume", layer);
        try (TcpFaultProxy proxy = TcpFaultProxy.start(target.host())) {
            TcpFaultProxy.Drop drop = proxy.dropNth("PATCH /v2/team/resume/blobs/uploads/", 3);

            BlobCopyResult copied = client.copyBlob(source.host(), "app/resume", proxy.host(), "team/resume", digest,
                    layer.length, 4 * MIB);

            assertTrue(drop.dropped(), "the third chunk's connection was dropped");
            assertEquals(new BlobCopyResult(digest, layer.length, false, true, 4, 1, 0), copied);
        }
        assertArrayEquals(layer, served(target, "team/resume", digest));
    }

    @Test
    void aChunkCutOffInTheMiddleOfItsBodyIsSentAgainAndTheCopyCompletes() {
        byte[] layer = bytes(16 * MIB, 6);
        Digest digest = client.pushBlob(source.host(), "app/cut", layer);
        try (TcpFaultProxy proxy = TcpFaultProxy.start(target.host())) {
            TcpFaultProxy.Drop drop = proxy.dropNth("PATCH /v2/team/cut/blobs/uploads/", 3, MIB);

            BlobCopyResult copied = client.copyBlob(source.host(), "app/cut", proxy.host(), "team/cut", digest,
                    layer.length, 4 * MIB);

            assertTrue(drop.dropped(), "the third chunk was cut off after 1 MiB");
            assertEquals(new BlobCopyResult(digest, layer.length, false, true, 4, 1, 1), copied);
        }
        assertArrayEquals(layer, served(target, "team/cut", digest));
    }

    @Test
    void bytesThatDoNotMatchTheDigestAreRefusedBeforeTheBlobIsStored() throws IOException {
        byte[] layer = bytes(6 * MIB, 3);
        Digest digest = client.pushBlob(source.host(), "app/corrupt", layer);
        corruptStoredBlob(source, digest);

        RegistryException e = assertThrows(RegistryException.class, () -> client.copyBlob(source.host(), "app/corrupt",
                target.host(), "team/corrupt", digest, layer.length, 4 * MIB));

        assertEquals("DIGEST_INVALID", e.code());
        assertFalse(e.isTransient());
        assertFalse(client.blobExists(target.host(), "team/corrupt", digest));
    }

    @Test
    void aSizeThatDoesNotMatchTheDescriptorIsRefused() {
        byte[] layer = bytes(MIB, 4);
        Digest digest = client.pushBlob(source.host(), "app/size", layer);

        RegistryException e = assertThrows(RegistryException.class, () -> client.copyBlob(source.host(), "app/size",
                target.host(), "team/size", digest, layer.length - 1, 256 * 1024));

        assertEquals("DIGEST_INVALID", e.code());
        assertFalse(client.blobExists(target.host(), "team/size", digest));
    }

    @Test
    void aStreamedPushReopensItsSourceAtTheOffsetReachedWhenReadingFails() {
        byte[] layer = bytes(10 * MIB, 5);
        Digest digest = Digest.sha256Of(layer);
        List<Long> opened = new CopyOnWriteArrayList<>();
        BlobSource failingOnce = offset -> {
            opened.add(offset);
            InputStream in = new ByteArrayInputStream(layer, (int) offset, layer.length - (int) offset);
            return opened.size() > 1 ? in : new FilterInputStream(in) {
                private long position = offset;

                @Override
                public int read(byte[] buffer, int start, int length) throws IOException {
                    if (position >= 3 * MIB + 17) {
                        throw new IOException("connection reset");
                    }
                    int n = super.read(buffer, start, (int) Math.min(length, 3 * MIB + 17 - position));
                    position += Math.max(n, 0);
                    return n;
                }
            };
        };

        BlobCopyResult pushed = client.pushBlob(target.host(), "team/pushed", digest, layer.length, failingOnce, 4 * MIB);

        assertEquals(List.of(0L, 3L * MIB + 17), opened, "opened again where reading stopped");
        assertEquals(new BlobCopyResult(digest, layer.length, false, true, 3, 0, 0), pushed);
        assertArrayEquals(layer, served(target, "team/pushed", digest));
    }

    @Test
    void blobRefusesToReadALayerIntoMemory() {
        byte[] layer = bytes(RegistryClient.MAX_BLOB_IN_MEMORY + 1, 8);
        Digest digest = client.pushBlob(source.host(), "app/large", layer);
        byte[] config = bytes(1000, 9);
        Digest small = client.pushBlob(source.host(), "app/large", config);

        RegistryException e = assertThrows(RegistryException.class, () -> client.blob(source.host(), "app/large", digest));

        assertEquals("SIZE_INVALID", e.code());
        assertArrayEquals(config, client.blob(source.host(), "app/large", small));
    }

    /** Flips one byte of the blob in the registry's storage: the registry serves it without checking. */
    private static void corruptStoredBlob(RegistryProcess registry, Digest digest) throws IOException {
        Path data = registry.directory().resolve("data/docker/registry/v2/blobs/sha256")
                .resolve(digest.hex().substring(0, 2)).resolve(digest.hex()).resolve("data");
        assertTrue(Files.exists(data), "blob stored at " + data);
        try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0xff);
        }
    }

    /** The bytes the registry serves for a blob, read with a plain HTTP client ({@code blob()} stops at 32 MiB). */
    private static byte[] served(RegistryProcess registry, String repository, Digest digest) {
        try {
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(registry.baseUri()
                    .resolve("/v2/" + repository + "/blobs/" + digest)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode(), "GET blob " + digest);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(int length, long seed) {
        byte[] content = new byte[length];
        new Random(seed).nextBytes(content);
        return content;
    }
}
