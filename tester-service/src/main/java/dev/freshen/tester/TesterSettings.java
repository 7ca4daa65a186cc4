package dev.freshen.tester;

import java.time.Duration;

/** What the {@link VerificationStage} needs of its configuration. */
public record TesterSettings(Duration buildTimeout, Duration commandTimeout, int logLines, int maxAttempts,
                             Duration retryBackoff) {
}
