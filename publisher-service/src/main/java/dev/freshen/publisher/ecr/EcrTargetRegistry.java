package dev.freshen.publisher.ecr;

import dev.freshen.ecr.EcrToken;
import dev.freshen.descriptor.Target;
import dev.freshen.publisher.PublishFailure;
import dev.freshen.events.image.ImageReference;
import dev.freshen.publisher.StagingRepository;
import dev.freshen.publisher.TargetRegistry;
import dev.freshen.publisher.registry.OciStagingRepository;
import dev.freshen.publisher.TargetRepository;
import dev.freshen.registry.RegistrySettings;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilterType;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

import java.time.Clock;
import java.util.List;

/**
 * AWS ECR as the target registry, through the ECR API (AWS SDK for Java v2): each publish makes sure the image's
 * repository exists ({@code DescribeRepositories}; when missing, {@code CreateRepository} with the configured tag
 * mutability, exclusion filters and scan on push), then works on it with {@link EcrTargetRepository}.
 * {@code GetAuthorizationToken} logs the distribution API in for blob mounts and copies ({@link EcrLogin}).
 */
public final class EcrTargetRegistry implements TargetRegistry, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EcrTargetRegistry.class);

    private final EcrClient ecr;
    private final String host;
    private final EcrSettings settings;
    private final EcrLogin login;

    /**
     * @param host             the registry host as in image references ({@code <account>.dkr.ecr.<region>.amazonaws.com})
     * @param registrySettings how other registries are reached (where candidates may live) and the client limits
     */
    public EcrTargetRegistry(EcrClient ecr, String host, EcrSettings settings, RegistrySettings registrySettings,
                             Clock clock) {
        this.ecr = ecr;
        this.host = host;
        this.settings = settings;
        this.login = new EcrLogin(this::authorizationToken, registrySettings, host, clock);
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public TargetRepository open(Target target) {
        ensureRepository(target);
        return new EcrTargetRepository(ecr, host, settings, target.repository(), login);
    }

    /**
     * A candidate in this registry is deleted through the ECR API ({@code BatchDeleteImage} by its tag); one staged
     * in another registry through the distribution API.
     */
    @Override
    public StagingRepository staging(ImageReference candidate) {
        if (!candidate.registry().equals(host)) {
            return new OciStagingRepository(login.client(), candidate.registry(), candidate.repository());
        }
        return new EcrStagingRepository(ecr, settings, candidate.repository(),
                new EcrTargetRepository(ecr, host, settings, candidate.repository(), login));
    }

    private void ensureRepository(Target target) {
        String name = target.repository();
        try {
            Repository found = ecr.describeRepositories(r -> r.registryId(settings.registryId()).repositoryNames(name))
                    .repositories().stream().findFirst().orElse(null);
            if (found != null) {
                LOG.debugf("ECR repository %s exists (tag mutability %s)", name, found.imageTagMutabilityAsString());
                return;
            }
        } catch (RepositoryNotFoundException e) {
            create(target);
            return;
        } catch (SdkException e) {
            throw EcrFailures.of("DescribeRepositories", "for repository " + name + " in " + settings.describeRegistry(), e);
        }
        create(target);
    }

    private void create(Target target) {
        String name = target.repository();
        EcrSettings.TagMutability mutability = settings.mutabilityFor(target);
        List<ImageTagMutabilityExclusionFilter> filters = settings.filtersFor(target).stream()
                .map(f -> ImageTagMutabilityExclusionFilter.builder()
                        .filterType(ImageTagMutabilityExclusionFilterType.WILDCARD).filter(f).build())
                .toList();
        try {
            ecr.createRepository(r -> r.registryId(settings.registryId()).repositoryName(name)
                    .imageTagMutability(ImageTagMutability.fromValue(mutability.name()))
                    .imageTagMutabilityExclusionFilters(filters.isEmpty() ? null : filters)
                    .imageScanningConfiguration(s -> s.scanOnPush(settings.scanOnPush())));
            LOG.infof("Created ECR repository %s in %s: tag mutability %s%s, scan on push %s", name,
                    settings.describeRegistry(), mutability, filters.isEmpty() ? "" : " except "
                            + settings.filtersFor(target), settings.scanOnPush());
        } catch (RepositoryAlreadyExistsException e) {
            LOG.infof("ECR repository %s was created meanwhile by someone else", name);
        } catch (SdkException e) {
            throw EcrFailures.of("CreateRepository", "for repository " + name + " in " + settings.describeRegistry(), e);
        }
    }

    private EcrToken authorizationToken() {
        try {
            var response = ecr.getAuthorizationToken(r -> {
                if (settings.registryId() != null) {
                    r.registryIds(settings.registryId());
                }
            });
            AuthorizationData data = response.authorizationData().stream().findFirst().orElseThrow(() ->
                    PublishFailure.permanent(PublishFailure.ECR_ERROR, "ECR GetAuthorizationToken for " + settings.describeRegistry()
                            + " returned no authorization data"));
            return EcrToken.decode(data.authorizationToken(), data.expiresAt(), data.proxyEndpoint());
        } catch (SdkException e) {
            throw EcrFailures.of("GetAuthorizationToken", "for " + settings.describeRegistry(), e);
        } catch (IllegalArgumentException e) {
            throw PublishFailure.permanent(PublishFailure.ECR_ERROR, "ECR GetAuthorizationToken for " + settings.describeRegistry() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        ecr.close();
    }
}
