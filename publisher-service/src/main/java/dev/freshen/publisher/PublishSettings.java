package dev.freshen.publisher;

import dev.freshen.messaging.Backoff;

/**
 * What the {@link PublishStage} needs to know of its configuration.
 *
 * @param maxAttempts        attempts for a publish that fails transiently (after the clients' own retries)
 * @param retryBackoff       waits between attempts (doubling, jittered, bounded)
 * @param maxVersionAttempts versions tried when other runs keep claiming the computed one first
 */
public record PublishSettings(int maxAttempts, Backoff retryBackoff, int maxVersionAttempts) {

    public PublishSettings {
        if (maxAttempts < 1 || maxVersionAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts and maxVersionAttempts must be at least 1");
        }
    }
}
