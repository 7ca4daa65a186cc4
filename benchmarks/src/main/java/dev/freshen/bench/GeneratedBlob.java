package dev.freshen.bench;

import dev.freshen.events.image.Digest;
import dev.freshen.registry.BlobSource;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A blob of any size made up on the fly, never held in memory: 64 KiB blocks of xorshift output seeded by the block's
 * number (incompressible, about 1 GiB/s to make), so it can be opened at any offset.
 */
final class GeneratedBlob implements BlobSource {

    private static final int BLOCK = 64 * 1024;

    private final long size;
    private final long seed;

    GeneratedBlob(long size, long seed) {
        this.size = size;
        this.seed = seed;
    }

    long size() {
        return size;
    }

    /** The sha256 of the whole blob (one pass over it). */
    Digest digest() throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[BLOCK];
        try (InputStream in = open(0)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha256.update(buffer, 0, n);
            }
        }
        return new Digest("sha256", HexFormat.of().formatHex(sha256.digest()));
    }

    @Override
    public InputStream open(long offset) {
        return new InputStream() {
            private final byte[] block = new byte[BLOCK];
            private long position = offset;
            private long blockNumber = -1;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int start, int length) {
                if (position >= size) {
                    return -1;
                }
                long number = position / BLOCK;
                if (number != blockNumber) {
                    fill(number);
                }
                int within = (int) (position % BLOCK);
                int n = (int) Math.min(Math.min(length, BLOCK - within), size - position);
                System.arraycopy(block, within, buffer, start, n);
                position += n;
                return n;
            }

            private void fill(long number) {
                long x = seed * 0x9E3779B97F4A7C15L + number + 1;
                for (int i = 0; i < BLOCK; i += 8) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                    for (int b = 0; b < 8; b++) {
                        block[i + b] = (byte) (x >>> (8 * b));
                    }
                }
                blockNumber = number;
            }
        };
    }
}
