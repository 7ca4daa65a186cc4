package dev.freshen.tester;

import dev.freshen.retry.RetryPolicy;

import java.time.Duration;

/**
 * What the {@link VerificationStage} needs of its configuration.
 *
 * @param retries how a test is tried again when Docker fails transiently (a failing check or test never is)
 */
public record TesterSettings(Duration buildTimeout, Duration commandTimeout, int logLines, RetryPolicy retries) {
}
