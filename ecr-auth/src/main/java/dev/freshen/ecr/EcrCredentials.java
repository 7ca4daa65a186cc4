package dev.freshen.ecr;

import dev.freshen.registry.Credentials;
import dev.freshen.registry.CredentialsProvider;
import dev.freshen.registry.RegistryException;
import dev.freshen.registry.config.RegistriesConfig;
import dev.freshen.retry.StopRequested;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Registry credentials for AWS ECR hosts from {@code GetAuthorizationToken}, for pushes, pulls and distribution API
 * calls. A token lives 12 hours; it is fetched again once less than {@link #REFRESH_BEFORE_EXPIRY} is left. Knows the
 * hosts that look like ECR ({@code <account>.dkr.ecr.<region>.amazonaws.com}) and any listed as ECR in configuration
 * (an endpoint override or a test double). Thread-safe; never logs a password.
 */
public final class EcrCredentials implements CredentialsProvider {

    /** Refresh a token when less than this is left of its life. */
    public static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger(EcrCredentials.class);

    private final Function<String, EcrClient> ecr;
    private final Set<String> extraHosts;
    private final Optional<String> registryId;
    private final Clock clock;
    private final Map<String, EcrToken> tokens = new ConcurrentHashMap<>();

    /**
     * @param ecr        the ECR API client for a registry host
     * @param extraHosts hosts to treat as ECR although they do not look like it
     * @param registryId the account whose registry the extra hosts are (ECR hosts carry their own)
     */
    public EcrCredentials(Function<String, EcrClient> ecr, Set<String> extraHosts, Optional<String> registryId,
                          Clock clock) {
        this.ecr = ecr;
        this.extraHosts = Set.copyOf(extraHosts);
        this.registryId = registryId;
        this.clock = clock;
    }

    /**
     * ECR credentials as configured under {@code freshen.registries.ecr}; the AWS client (one per region) is made on
     * first use, so services that never meet an ECR host never need AWS settings.
     */
    public static EcrCredentials of(RegistriesConfig config) {
        RegistriesConfig.Ecr ecr = config.ecr();
        Set<String> hosts = Set.copyOf(ecr.hosts().orElse(java.util.List.of()));
        Map<String, EcrClient> byRegion = new ConcurrentHashMap<>();
        Function<String, EcrClient> client = host -> {
            Optional<String> region = ecr.region().or(() -> EcrClients.regionOf(host));
            return byRegion.computeIfAbsent(region.orElse(""), r -> EcrClients.create(region, ecr.endpoint(),
                    config.timeout(), config.retries()));
        };
        return new EcrCredentials(client, hosts, ecr.registryId(), Clock.systemUTC());
    }

    @Override
    public Optional<Credentials> credentialsFor(String registry) {
        Optional<String> ownAccount = EcrClients.accountOf(registry);
        if (ownAccount.isEmpty() && !extraHosts.contains(registry)) {
            return Optional.empty();
        }
        Optional<String> account = ownAccount.isPresent() ? ownAccount : registryId;
        EcrToken token = tokens.compute(registry, (host, known) ->
                known != null && clock.instant().isBefore(known.expiresAt().minus(REFRESH_BEFORE_EXPIRY)) ? known : fetch(host, account));
        return Optional.of(new Credentials(token.username(), token.password()));
    }

    private EcrToken fetch(String host, Optional<String> account) {
        GetAuthorizationTokenResponse response;
        try {
            response = ecr.apply(host).getAuthorizationToken(r -> account.ifPresent(r::registryIds));
        } catch (SdkException e) {
            if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
                throw new StopRequested("interrupted while getting an ECR authorization token for " + host, e);
            }
            String code = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                    ? aws.awsErrorDetails().errorCode() : null;
            throw new RegistryException("cannot get an ECR authorization token for " + host + (code == null ? "" : " (" + code + ")")
                    + ": " + e.getMessage(), 0, isTransient(e), code, e);
        }
        var data = response.authorizationData().get(0);
        EcrToken token = EcrToken.decode(data.authorizationToken(), data.expiresAt(), data.proxyEndpoint());
        LOG.infof("ECR registry login for %s valid until %s", host, token.expiresAt());
        return token;
    }

    /**
     * Whether a failure that the SDK gave up on may pass later: throttling, 5xx, time-outs and I/O errors (so that a
     * stage reports {@code transient-exhausted}, not a permanent failure).
     */
    static boolean isTransient(SdkException e) {
        if (e instanceof AwsServiceException aws) {
            return aws.isThrottlingException() || aws.statusCode() >= 500 || aws.statusCode() == 429;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof ApiCallTimeoutException
                    || t instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
        }
        return e.retryable();
    }
}
