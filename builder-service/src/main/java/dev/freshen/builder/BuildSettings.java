package dev.freshen.builder;

import dev.freshen.events.image.Platform;
import dev.freshen.retry.RetryPolicy;

import java.time.Duration;
import java.util.Optional;

/**
 * What the {@link BuildStage} needs to know of its configuration.
 *
 * @param retries         how a build is tried again when the Docker engine fails transiently
 * @param defaultPlatform the platform of images whose descriptor names none ({@code freshen.registries.platform})
 */
public record BuildSettings(String targetRegistry, Optional<String> stagingRegistry, Optional<String> stagingRepository,
                            Duration buildTimeout, int logLines, RetryPolicy retries, Platform defaultPlatform) {

    /** Where the candidate of {@code targetRepository} is staged: registry and repository. */
    public String candidateRepository(String targetRepository) {
        return stagingRegistry.orElse(targetRegistry) + "/" + stagingRepository.orElse(targetRepository);
    }

    public static String candidateTag(String runId) {
        return "candidate-" + runId;
    }
}
