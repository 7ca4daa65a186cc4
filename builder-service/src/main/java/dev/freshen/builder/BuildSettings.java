package dev.freshen.builder;

import dev.freshen.descriptor.Staging;
import dev.freshen.events.image.Platform;
import dev.freshen.retry.RetryPolicy;

import java.time.Duration;

/**
 * What the {@link BuildStage} needs to know of its configuration.
 *
 * @param staging         where candidates are pushed ({@code freshen.builder.staging-registry},
 *                        {@code freshen.builder.staging-repository})
 * @param retries         how a build is tried again when the Docker engine fails transiently
 * @param defaultPlatform the platform of images whose descriptor names none ({@code freshen.registries.platform})
 */
public record BuildSettings(String targetRegistry, Staging staging, Duration buildTimeout, int logLines,
                            RetryPolicy retries, Platform defaultPlatform) {

    /** Where the candidate of {@code targetRepository} is staged: registry and repository. */
    public String candidateRepository(String targetRepository) {
        return staging.registryFor(targetRegistry) + "/" + staging.repositoryFor(targetRepository);
    }
}
