package dev.freshen.publisher;

import dev.freshen.retry.RetryPolicy;

/**
 * What the {@link PublishStage} needs to know of its configuration.
 *
 * @param retries            how a publish is tried again, after a pause, when other publishers took every version it
 *                           computed ({@code maxVersionAttempts} in a row); registry failures are not retried here
 * @param maxVersionAttempts versions computed and tried at once, one after the other, in one attempt
 */
public record PublishSettings(RetryPolicy retries, int maxVersionAttempts) {

    public PublishSettings {
        if (maxVersionAttempts < 1) {
            throw new IllegalArgumentException("max-version-attempts must be at least 1, was " + maxVersionAttempts);
        }
    }
}
