package dev.freshen.publisher.config;

import dev.freshen.ecr.setup.Encryption;
import dev.freshen.ecr.setup.TagMutability;
import dev.freshen.registry.config.RegistriesConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import dev.freshen.descriptor.Staging;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The publisher's settings: shared keys under {@code freshen.}, its own under {@code freshen.publisher.}. */
@ConfigMapping(prefix = "freshen")
public interface PublisherConfig {

    /** The platform-images root (each image's descriptor names its target repository, tag prefix and extra tags). */
    @WithDefault("platform-images")
    Path platformImagesDir();

    /** The registry platform images are published to, as in image references (host[:port]). */
    String targetRegistry();

    /**
     * The builder's staging repository ({@code freshen.builder.staging-repository}, default
     * {@value Staging#DEFAULT_TEMPLATE}), read here so that the staging repositories the publisher sets up on ECR are
     * the ones the builder pushes to: set it for both services.
     */
    @WithName("builder.staging-repository")
    @WithDefault(Staging.DEFAULT_TEMPLATE)
    String stagingRepository();

    /** How registries are reached: plain-HTTP hosts, credentials, limits and retries. */
    RegistriesConfig registries();

    Publisher publisher();

    /** The publisher's own settings. */
    interface Publisher {

        /** What the target registry is: any OCI registry (distribution API) or AWS ECR (ECR API). */
        @WithDefault("oci")
        Kind kind();

        /**
         * Attempts for a publish whose computed versions were all taken by other publishers (max-version-attempts in a
         * row). Registry and ECR API failures are retried per request (freshen.registries.*), not here.
         */
        @WithDefault("6")
        int maxAttempts();

        /** Wait after the first failed attempt; it doubles each attempt (half of it random), up to max-backoff. */
        @WithDefault("2s")
        Duration initialBackoff();

        /**
         * The old name of {@link #initialBackoff()}, renamed to match every other retry setting. Only read to stop the
         * start with the new name, rather than ignore a value somebody set.
         */
        @Deprecated
        Optional<String> retryBackoff();

        /** The longest wait between two attempts. */
        @WithDefault("1m")
        Duration maxBackoff();

        /** Versions tried at once, in one attempt, when other publishers keep claiming the computed version first. */
        @WithDefault("5")
        int maxVersionAttempts();

        Ecr ecr();
    }

    /** Target registry kinds. */
    enum Kind { OCI, ECR }

    /** Settings for {@code kind=ecr}. */
    interface Ecr {

        /** The AWS region; default: from an ECR target registry host, else the AWS default region chain. */
        Optional<String> region();

        /** The registry's AWS account id; default: from an ECR target registry host, else the credentials' account. */
        Optional<String> registryId();

        /** Another ECR API endpoint (VPC endpoint, FIPS, a test double); default: the region's. */
        Optional<URI> endpoint();

        /**
         * Tag mutability of target repositories, computed over every image publishing to each: with
         * {@code mutable-with-exclusion} the version tags ({@code <tagPrefix>-*.*.*}) and run tags are immutable and
         * every moving tag mutable; {@code immutable-with-exclusion} excludes the moving tags instead (at most 5 per
         * repository, none a wildcard that matches a version); {@code immutable}; {@code mutable}.
         */
        @WithDefault("mutable-with-exclusion")
        TagMutability tagMutability();

        /** Wildcard filters added to the exclusion filters computed over the images of each target repository. */
        Optional<List<String>> exclusionFilters();

        /** Whether target and staging repositories scan each image on push. */
        @WithDefault("true")
        boolean scanOnPush();

        /** The encryption of target and staging repositories: {@code aes256} or {@code kms}. */
        @WithDefault("aes256")
        Encryption.Type encryption();

        /** With {@code encryption=kms}: the KMS key (ARN, key id or alias); default the AWS-managed key aws/ecr. */
        Optional<String> kmsKey();

        /**
         * Days after their push when the lifecycle policy of the staging repositories expires candidate and untagged
         * images.
         */
        @WithDefault("7")
        int candidateExpiryDays();
    }
}
