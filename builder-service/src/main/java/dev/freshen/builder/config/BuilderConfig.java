package dev.freshen.builder.config;

import dev.freshen.descriptor.Staging;
import dev.freshen.registry.config.RegistriesConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The builder's settings: shared keys under {@code freshen.}, its own under {@code freshen.builder.}. */
@ConfigMapping(prefix = "freshen")
public interface BuilderConfig {

    /** The platform-images root (each image's folder is its build context). */
    @WithDefault("platform-images")
    Path platformImagesDir();

    /** The registry platform images are published to; candidates go there too unless a staging registry is set. */
    String targetRegistry();

    /** How registries are reached: plain-HTTP hosts, credentials, limits and retries. */
    RegistriesConfig registries();

    Builder builder();

    /** The builder's own settings. */
    interface Builder {

        /** Registry for candidates; default: the target registry. */
        Optional<String> stagingRegistry();

        /**
         * Repository for candidates, {@code {repository}} standing for the image's target repository; default
         * {@code {repository}-staging}, so that unverified images never sit in the repository consumers pull from.
         * A name without {@code {repository}} is one staging repository for every image; {@code {repository}} alone
         * stages in the target repository. Candidates are tagged {@code candidate-<runId>} and deleted by the
         * publisher once their run has ended.
         */
        @WithDefault(Staging.DEFAULT_TEMPLATE)
        String stagingRepository();

        /** How long one build may take before it is cancelled. */
        @WithDefault("30m")
        Duration buildTimeout();

        /** How long one push may take. */
        @WithDefault("10m")
        Duration pushTimeout();

        /**
         * The docker CLI for BuildKit builds: a path, or a name looked up on PATH. It needs BuildKit built in (a
         * client older than 23, e.g. Debian's /usr/bin/docker) or the buildx plugin (23 and newer); the service checks
         * that with a test build at start-up and refuses to start otherwise.
         */
        @WithDefault("docker")
        String dockerCli();

        /** Lines of build output kept for a failure's log excerpt. */
        @WithDefault("40")
        int logLines();

        /**
         * Attempts for a build when the Docker engine fails transiently (registry requests are retried by the
         * registry client, per request, not here).
         */
        @WithDefault("5")
        int maxAttempts();

        /** Wait after the first failed attempt; it doubles each attempt (half of it random), up to max-backoff. */
        @WithDefault("5s")
        Duration initialBackoff();

        /**
         * The old name of {@link #initialBackoff()}, renamed to match every other retry setting. Only read to stop the
         * start with the new name, rather than ignore a value somebody set.
         */
        @Deprecated
        Optional<String> retryBackoff();

        /** The longest wait between two attempts. */
        @WithDefault("2m")
        Duration maxBackoff();
    }
}
