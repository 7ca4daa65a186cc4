package dev.freshen.ecr;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A decoded ECR authorization token ({@code GetAuthorizationToken}): registry user and password, when it expires, the
 * registry host it is for. {@link #toString()} never shows the password.
 */
public record EcrToken(String username, String password, Instant expiresAt, String proxyHost) {

    /**
     * Decodes {@code authorizationData}: the token is base64 {@code user:password}, the proxy endpoint
     * {@code https://<host>}.
     */
    public static EcrToken decode(String authorizationToken, Instant expiresAt, String proxyEndpoint) {
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
        return new EcrToken(decoded.substring(0, colon), decoded.substring(colon + 1),
                expiresAt == null ? Instant.EPOCH : expiresAt, proxyHost);
    }

    @Override
    public String toString() {
        return "EcrToken[username=" + username + ", password=***, expiresAt=" + expiresAt + ", proxyHost=" + proxyHost + "]";
    }
}
