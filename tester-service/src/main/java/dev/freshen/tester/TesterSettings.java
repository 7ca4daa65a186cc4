package dev.freshen.tester;

import dev.freshen.retry.RetryPolicy;

import java.time.Duration;

/**
 * What the {@link VerificationStage} needs of its configuration.
 *
 * @param retries                how a test is tried again when Docker fails transiently (a failing check or test never
 *                               is)
 * @param emulationTimeoutFactor how many times longer the app build, a check command and the app's start-up may take
 *                               on a platform the engine runs under emulation (QEMU): 1 to 20
 */
public record TesterSettings(Duration buildTimeout, Duration commandTimeout, int logLines, RetryPolicy retries,
                             int emulationTimeoutFactor) {

    /** The default {@link #emulationTimeoutFactor}. */
    public static final int DEFAULT_EMULATION_TIMEOUT_FACTOR = 5;
    static final int MAX_EMULATION_TIMEOUT_FACTOR = 20;

    /** @throws IllegalArgumentException when the emulation factor is not 1 to 20 */
    public TesterSettings {
        if (emulationTimeoutFactor < 1 || emulationTimeoutFactor > MAX_EMULATION_TIMEOUT_FACTOR) {
            throw new IllegalArgumentException("the emulation time-out factor must be between 1 and "
                    + MAX_EMULATION_TIMEOUT_FACTOR + ", was " + emulationTimeoutFactor);
        }
    }

    /** Settings with the default emulation time-out factor. */
    public TesterSettings(Duration buildTimeout, Duration commandTimeout, int logLines, RetryPolicy retries) {
        this(buildTimeout, commandTimeout, logLines, retries, DEFAULT_EMULATION_TIMEOUT_FACTOR);
    }
}
