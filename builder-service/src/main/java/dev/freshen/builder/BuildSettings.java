package dev.freshen.builder;

import dev.freshen.messaging.Backoff;

import java.time.Duration;
import java.util.Optional;

/** What the {@link BuildStage} needs to know of its configuration. */
public record BuildSettings(String targetRegistry, Optional<String> stagingRegistry, Optional<String> stagingRepository,
                            Duration buildTimeout, int logLines, int maxAttempts, Backoff retryBackoff) {

    /** Where the candidate of {@code targetRepository} is staged: registry and repository. */
    public String candidateRepository(String targetRepository) {
        return stagingRegistry.orElse(targetRegistry) + "/" + stagingRepository.orElse(targetRepository);
    }

    public static String candidateTag(String runId) {
        return "candidate-" + runId;
    }
}
