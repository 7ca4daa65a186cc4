package dev.freshen.publisher.config;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.Staging;
import dev.freshen.events.image.ImageReference;
import dev.freshen.publisher.PublishSettings;
import dev.freshen.publisher.CandidateCleanup;
import dev.freshen.publisher.PublishStage;
import dev.freshen.publisher.RollbackStage;
import dev.freshen.publisher.TargetRegistry;
import dev.freshen.ecr.EcrClients;
import dev.freshen.ecr.setup.Encryption;
import dev.freshen.ecr.setup.LayoutSettings;
import dev.freshen.publisher.ecr.EcrSettings;
import dev.freshen.publisher.ecr.EcrTargetRegistry;
import dev.freshen.publisher.registry.OciTargetRegistry;
import dev.freshen.registry.CredentialsProvider;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.retry.RenamedSettings;
import dev.freshen.retry.RetryPolicy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Wires the publisher's plain classes into CDI and picks the target registry implementation from
 * {@code freshen.publisher.kind}; refuses to start when the platform-images folder is missing or the target registry
 * settings are wrong.
 */
@ApplicationScoped
public class PublisherBeans {

    private static final Logger LOG = Logger.getLogger(PublisherBeans.class);

    void validate(@Observes StartupEvent start, PublisherConfig config, TargetRegistry registry, PublishStage stage) {
        if (!Files.isDirectory(config.platformImagesDir())) {
            throw new IllegalStateException("the platform-images folder " + config.platformImagesDir().toAbsolutePath()
                    + " does not exist (set freshen.platform-images-dir / FRESHEN_PLATFORM_IMAGES_DIR)");
        }
        var publisher = config.publisher();
        if (publisher.maxVersionAttempts() < 1) {
            throw new IllegalStateException("freshen.publisher.max-version-attempts must be at least 1");
        }
        LOG.infof("Publishing to %s (%s)", registry.host(), publisher.kind());
        if (registry instanceof EcrTargetRegistry ecr) {
            ecr.prepare();
        }
    }

    @Produces
    @Singleton
    TargetRegistry targetRegistry(PublisherConfig config) {
        String host = targetHost(config.targetRegistry());
        RegistrySettings registries = config.registries().settings();
        if (config.publisher().kind() == PublisherConfig.Kind.OCI) {
            return new OciTargetRegistry(new RegistryClient(registries,
                    config.registries().credentialsChain(CredentialsProvider.NONE)), host);
        }
        PublisherConfig.Ecr ecr = config.publisher().ecr();
        EcrSettings settings = new EcrSettings(ecr.registryId().or(() -> EcrClients.accountOf(host)).orElse(null));
        LayoutSettings layout = layoutSettings(ecr, config.stagingRepository());
        var client = EcrClients.create(ecr.region().or(() -> EcrClients.regionOf(host)), ecr.endpoint(),
                registries.requestTimeout(), registries.retries());
        var catalog = new PlatformImageCatalog(config.platformImagesDir());
        return new EcrTargetRegistry(client, host, settings, layout, () -> catalog.scan().images().values(), registries,
                Clock.systemUTC());
    }

    void close(@Disposes TargetRegistry registry) {
        if (registry instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debugf("closing the target registry client: %s", e.getMessage());
            }
        }
    }

    @Produces
    @Singleton
    @SuppressWarnings("deprecation")
    PublishStage publishStage(PublisherConfig config, TargetRegistry registry) {
        var publisher = config.publisher();
        RenamedSettings.refuse(new RenamedSettings.Renamed("freshen.publisher.retry-backoff",
                "freshen.publisher.initial-backoff", publisher.retryBackoff().isPresent()));
        var catalog = new PlatformImageCatalog(config.platformImagesDir());
        RetryPolicy retries;
        try {
            retries = new RetryPolicy(publisher.maxAttempts(), publisher.initialBackoff(), publisher.maxBackoff());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.publisher: " + e.getMessage(), e);
        }
        return new PublishStage(catalog::scan, registry, new PublishSettings(retries, publisher.maxVersionAttempts()),
                Clock.systemUTC());
    }

    @Produces
    @Singleton
    CandidateCleanup candidateCleanup(TargetRegistry registry) {
        return new CandidateCleanup(registry::staging);
    }

    /**
     * The repository layout settings of {@code freshen.publisher.ecr.*}, checked; staging repositories named as the
     * builder names them ({@code freshen.builder.staging-repository}).
     */
    static LayoutSettings layoutSettings(PublisherConfig.Ecr ecr, String stagingRepository) {
        Staging staging;
        try {
            staging = new Staging(Optional.empty(), stagingRepository);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.builder.staging-repository: " + e.getMessage(), e);
        }
        Encryption encryption;
        try {
            encryption = new Encryption(ecr.encryption(), ecr.kmsKey().orElse(null));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.publisher.ecr.kms-key: " + e.getMessage()
                    + " (set freshen.publisher.ecr.encryption=kms, or remove the key)", e);
        }
        if (ecr.candidateExpiryDays() < 1) {
            throw new IllegalStateException("freshen.publisher.ecr.candidate-expiry-days must be at least 1, was "
                    + ecr.candidateExpiryDays());
        }
        try {
            return new LayoutSettings(ecr.tagMutability(), ecr.exclusionFilters().orElse(List.of()), ecr.scanOnPush(),
                    encryption, staging::repositoryFor, ecr.candidateExpiryDays());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.publisher.ecr.exclusion-filters: " + e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    RollbackStage rollbackStage(PublisherConfig config, TargetRegistry registry, PublishStage publishing) {
        return new RollbackStage(new PlatformImageCatalog(config.platformImagesDir())::scan, registry, publishing,
                Clock.systemUTC());
    }

    /** The registry host of {@code freshen.target-registry}, checked. */
    static String targetHost(String value) {
        try {
            ImageReference ref = ImageReference.parse(value.strip() + "/x");
            if (!ref.registry().equals(value.strip())) {
                throw new IllegalArgumentException("not a registry host");
            }
            return ref.registry();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.target-registry '" + value + "' is not a registry host[:port] "
                    + "(e.g. registry.example.com or 123456789012.dkr.ecr.eu-west-1.amazonaws.com): " + e.getMessage(), e);
        }
    }
}
