package dev.freshen.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A username and password (or token) for one registry. {@link #toString()} never shows the password.
 *
 * @param identityToken whether {@code password} is an OAuth2 refresh token ({@code identitytoken} in a Docker
 *                      {@code config.json}, e.g. from {@code az acr login}): a Docker engine is handed it as its
 *                      {@code IdentityToken}; Freshen's own registry client sends it as the password, which Azure
 *                      Container Registry accepts
 */
public record Credentials(String username, String password, boolean identityToken) {

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** A username and a password (or an access token used as password). */
    public Credentials(String username, String password) {
        this(username, password, false);
    }

    /** The value of an {@code Authorization} header for HTTP basic authentication. */
    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***" + (identityToken ? ", identity token" : "") + "]";
    }
}
