package dev.freshen.registry;

import dev.freshen.events.image.Digest;

/**
 * What {@link RegistryClient#copyBlob} did.
 *
 * @param digest         the blob's digest (verified while streaming)
 * @param bytes          the blob's size in bytes
 * @param alreadyPresent the target already held the blob: nothing was transferred
 * @param chunked        uploaded in chunks ({@code PATCH}); false for a streamed monolithic {@code PUT} (the target
 *                       refused chunks) or when {@code alreadyPresent}
 * @param chunks         {@code PATCH} chunks sent (resent ones counted once)
 * @param resumedChunks  chunks that failed on the way (dropped connection, 5xx, time-out) and were sent again: from
 *                       the offset the target reported, or in a new session
 * @param newSessions    of those, the ones whose upload session the target had lost (the CNCF registry drops a
 *                       session whose {@code PATCH} arrived in part): a new session got the bytes before the chunk
 *                       again, read again from the source
 */
public record BlobCopyResult(Digest digest, long bytes, boolean alreadyPresent, boolean chunked, int chunks,
                             int resumedChunks, int newSessions) {
}
