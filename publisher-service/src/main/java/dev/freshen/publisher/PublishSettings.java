package dev.freshen.publisher;

import java.time.Duration;

/**
 * What the {@link PublishStage} needs to know of its configuration.
 *
 * @param maxAttempts        attempts for a publish that fails transiently (after the clients' own retries)
 * @param retryBackoff       delay before the second attempt; doubles each time
 * @param maxVersionAttempts versions tried when other runs keep claiming the computed one first
 */
public record PublishSettings(int maxAttempts, Duration retryBackoff, int maxVersionAttempts) {

    public PublishSettings {
        if (maxAttempts < 1 || maxVersionAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts and maxVersionAttempts must be at least 1");
        }
        if (retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retryBackoff must not be negative");
        }
    }
}
