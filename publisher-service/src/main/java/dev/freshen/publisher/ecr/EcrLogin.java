package dev.freshen.publisher.ecr;

import dev.freshen.registry.Credentials;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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

    /** A decoded authorization token; {@link #toString()} never shows the password. */
    public record Token(String username, String password, Instant expiresAt, String proxyHost) {
        @Override
        public String toString() {
            return "Token[username=" + username + ", password=***, expiresAt=" + expiresAt + ", proxyHost=" + proxyHost + "]";
        }
    }

    private final Supplier<Token> fetch;
    private final RegistrySettings base;
    private final String host;
    private final Clock clock;
    private Token token;
    private RegistryClient client;

    /**
     * @param fetch asks ECR for a token
     * @param base  the settings of the other registries (credentials, insecure hosts, timeouts, retries)
     * @param host  the ECR registry host as in image references
     */
    public EcrLogin(Supplier<Token> fetch, RegistrySettings base, String host, Clock clock) {
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

    /**
     * Decodes {@code GetAuthorizationToken}'s {@code authorizationData}: the token is base64 {@code user:password},
     * the proxy endpoint {@code https://<host>}.
     */
    public static Token decode(String authorizationToken, Instant expiresAt, String proxyEndpoint) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorizationToken), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("the ECR authorization token is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("the ECR authorization token is not user:password");
        }
        String proxyHost = proxyEndpoint == null || proxyEndpoint.isBlank() ? null
                : URI.create(proxyEndpoint.contains("://") ? proxyEndpoint : "https://" + proxyEndpoint).getRawAuthority();
        return new Token(decoded.substring(0, colon), decoded.substring(colon + 1),
                expiresAt == null ? Instant.EPOCH : expiresAt, proxyHost);
    }
}
