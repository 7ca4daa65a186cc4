package dev.freshen.tester;

import dev.freshen.messaging.Backoff;

import java.time.Duration;

/** What the {@link VerificationStage} needs of its configuration. */
public record TesterSettings(Duration buildTimeout, Duration commandTimeout, int logLines, int maxAttempts,
                             Backoff retryBackoff) {
}
