package dev.freshen.publisher.ecr;

import dev.freshen.ecr.EcrToken;
import dev.freshen.registry.Credentials;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A registry client logged in to ECR with a {@code GetAuthorizationToken} token as basic credentials, for what only the
 * distribution API does (mounting and copying blobs between repositories). Tokens live 12 hours; a new one is
 * fetched, and a new client made, once less than {@link #REFRESH_BEFORE_EXPIRY} is left. Thread-safe.
 */
public final class EcrLogin {

    /** Refresh a token when less than this is left of its life. */
    public static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger(EcrLogin.class);

    private final Supplier<EcrToken> fetch;
    private final RegistrySettings base;
    private final String host;
    private final Clock clock;
    private EcrToken token;
    private RegistryClient client;

    /**
     * @param fetch asks ECR for a token
     * @param base  the settings of the other registries (credentials, insecure hosts, timeouts, retries)
     * @param host  the ECR registry host as in image references
     */
    public EcrLogin(Supplier<EcrToken> fetch, RegistrySettings base, String host, Clock clock) {
        this.fetch = fetch;
        this.base = base;
        this.host = host;
        this.clock = clock;
    }

    /** A client with valid ECR credentials for the registry host (and the token's proxy endpoint host). */
    public synchronized RegistryClient client() {
        if (client == null || !clock.instant().isBefore(token.expiresAt().minus(REFRESH_BEFORE_EXPIRY))) {
            token = fetch.get();
            Credentials credentials = new Credentials(token.username(), token.password());
            RegistrySettings settings = base.withCredentials(host, credentials);
            if (token.proxyHost() != null && !token.proxyHost().equals(host)) {
                LOG.warnf("ECR authorization token is for %s, the target registry is %s; using it for both",
                        token.proxyHost(), host);
                settings = settings.withCredentials(token.proxyHost(), credentials);
            }
            client = new RegistryClient(settings);
            LOG.infof("ECR registry login for %s valid until %s", host, token.expiresAt());
        }
        return client;
    }

}
