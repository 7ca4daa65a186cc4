package dev.freshen.registry;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where a streamed blob upload ({@link RegistryClient#pushBlob(String, String, dev.freshen.events.image.Digest, long,
 * BlobSource, int)}) reads the blob from. After a failed read the upload opens it again at the offset it had reached, so
 * every byte is read and hashed once.
 */
@FunctionalInterface
public interface BlobSource {

    /**
     * The blob's bytes from {@code offset} (0 to its size) to its end; the caller closes the stream.
     *
     * @throws IOException when it cannot be read now (tried again by the registry client's retry layer)
     */
    InputStream open(long offset) throws IOException;
}
