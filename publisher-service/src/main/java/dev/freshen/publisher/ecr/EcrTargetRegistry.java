package dev.freshen.publisher.ecr;

import dev.freshen.ecr.EcrToken;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.Target;
import dev.freshen.ecr.setup.EcrSetupException;
import dev.freshen.ecr.setup.LayoutRefusedException;
import dev.freshen.ecr.setup.LayoutSettings;
import dev.freshen.ecr.setup.LifecyclePolicy;
import dev.freshen.ecr.setup.RepositoryLayout;
import dev.freshen.ecr.setup.RepositorySetup;
import dev.freshen.ecr.setup.RepositorySpec;
import dev.freshen.ecr.setup.RepositoryState;
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

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * AWS ECR as the target registry, through the ECR API (AWS SDK for Java v2). At start-up ({@link #prepare()}) the
 * repository layout of every descriptor is computed ({@link RepositoryLayout}: target repositories with the tag
 * mutability computed over all images publishing to each, staging repositories with their lifecycle policy); a layout
 * that ECR cannot express stops the start. Missing repositories are created with their settings, existing ones are
 * compared and any drift is logged, one line per setting, never changed. {@link #open} works on a repository with
 * {@link EcrTargetRepository}; a repository the start-up could not reach (or of an image added since) is set up the
 * same way on its first publish. {@code GetAuthorizationToken} logs the distribution API in for blob mounts and
 * copies ({@link EcrLogin}).
 */
public final class EcrTargetRegistry implements TargetRegistry, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EcrTargetRegistry.class);

    private final EcrClient ecr;
    private final String host;
    private final EcrSettings settings;
    private final LayoutSettings layoutSettings;
    private final Supplier<Collection<PlatformImage>> images;
    private final RepositorySetup setup;
    private final EcrLogin login;
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    /**
     * @param host             the registry host as in image references ({@code <account>.dkr.ecr.<region>.amazonaws.com})
     * @param layoutSettings   how repositories must be set up
     * @param images           every platform image that loads (a full scan of the platform-images folder)
     * @param registrySettings how other registries are reached (where candidates may live) and the client limits
     */
    public EcrTargetRegistry(EcrClient ecr, String host, EcrSettings settings, LayoutSettings layoutSettings,
                             Supplier<Collection<PlatformImage>> images, RegistrySettings registrySettings, Clock clock) {
        this.ecr = ecr;
        this.host = host;
        this.settings = settings;
        this.layoutSettings = layoutSettings;
        this.images = images;
        this.setup = new RepositorySetup(ecr, settings.registryId());
        this.login = new EcrLogin(this::authorizationToken, registrySettings, host, clock);
    }

    @Override
    public String host() {
        return host;
    }

    /**
     * At start-up: computes the layout, creates missing repositories, logs drift and whether the registry mounts blobs
     * across repositories. ECR API failures are logged and left to the first publish to each repository.
     *
     * @throws IllegalStateException when the layout is refused (the message names the images and tags)
     */
    public void prepare() {
        RepositoryLayout layout;
        try {
            layout = RepositoryLayout.ofImages(images.get(), layoutSettings);
        } catch (LayoutRefusedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        for (RepositorySpec spec : layout.repositories()) {
            try {
                bringUp(spec);
            } catch (EcrSetupException e) {
                LOG.warnf("%s; the publisher tries again at the first publish to it", e.getMessage());
            }
        }
        Optional<Boolean> mounting = setup.blobMounting();
        if (mounting.isEmpty()) {
            LOG.infof("ECR blob mounting of %s is unknown (GetAccountSetting %s not answered): candidates are mounted "
                    + "where ECR allows it, else copied", settings.describeRegistry(), RepositorySetup.BLOB_MOUNTING);
        } else if (!mounting.get()) {
            LOG.warnf("ECR blob mounting is off in %s: candidates are copied into target repositories blob by blob instead "
                    + "of mounted; turn it on with 'aws ecr put-account-setting --name BLOB_MOUNTING --value ENABLED'",
                    settings.describeRegistry());
        }
    }

    @Override
    public TargetRepository open(Target target) {
        if (!ready.contains(target.repository())) {
            ensure(target);
        }
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

    /** The repositories of {@code target} (its own and its staging one), set up as at start-up. */
    private synchronized void ensure(Target target) {
        // only the images of this repository: a problem of another repository is not this publish's
        Map<String, Target> sharing = new TreeMap<>();
        images.get().stream().filter(i -> i.descriptor().target().repository().equals(target.repository()))
                .forEach(i -> sharing.put(i.id(), i.descriptor().target()));
        if (sharing.isEmpty()) {
            sharing.put(target.repository(), target);
        }
        RepositoryLayout layout;
        try {
            layout = RepositoryLayout.of(sharing, layoutSettings);
        } catch (LayoutRefusedException e) {
            throw PublishFailure.permanent(PublishFailure.ECR_FILTERS_EXCEEDED, e.getMessage(), e);
        }
        String staging = layoutSettings.stagingRepository().apply(target);
        try {
            for (RepositorySpec spec : layout.repositories()) {
                if ((spec.name().equals(target.repository()) || spec.name().equals(staging)) && !ready.contains(spec.name())) {
                    bringUp(spec);
                }
            }
        } catch (EcrSetupException e) {
            throw e.isTransient() ? PublishFailure.transientFailure(PublishFailure.ECR_ERROR, e.getMessage(), e)
                    : PublishFailure.permanent(PublishFailure.ECR_ERROR, e.getMessage(), e);
        }
    }

    /** Creates a missing repository, or logs its drift; either way it is used from now on. */
    private void bringUp(RepositorySpec spec) {
        RepositoryState state = setup.check(spec);
        if (state.status() == RepositoryState.Status.MISSING) {
            state = setup.create(spec);
            if (state.status() == RepositoryState.Status.UP_TO_DATE) {
                LOG.infof("Created ECR repository %s in %s: tag mutability %s, scan on push %s, encryption %s%s", spec.name(),
                        settings.describeRegistry(), spec.describeMutability(), spec.scanOnPush() ? "on" : "off",
                        spec.encryption(), spec.lifecyclePolicy() == null ? ""
                                : ", lifecycle policy: " + LifecyclePolicy.describe(layoutSettings.candidateExpiryDays()));
            }
        }
        if (state.status() == RepositoryState.Status.DRIFT) {
            state.drifts().forEach(d -> LOG.warn(d.line()));
        } else if (state.status() == RepositoryState.Status.UP_TO_DATE) {
            LOG.debugf("ECR repository %s is set up as wanted", spec.name());
        }
        ready.add(spec.name());
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
