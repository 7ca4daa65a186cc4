package dev.freshen.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gets bearer tokens from a registry's token server (the challenge's {@code realm}):
 * {@code GET realm?service=...&scope=...}, with basic credentials when the registry has some, anonymous otherwise.
 */
final class TokenClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);

    /** A token and how long it lives ({@code issuedAt} null when the server did not say). */
    record Token(String value, Duration lifetime, Instant issuedAt) {
        @Override
        public String toString() {
            return "Token[lifetime=" + lifetime + ", issuedAt=" + issuedAt + "]";
        }
    }

    private final HttpTransport transport;
    private final RegistryRetry retry;
    private final RegistrySettings settings;

    TokenClient(HttpTransport transport, RegistryRetry retry, RegistrySettings settings) {
        this.transport = transport;
        this.retry = retry;
        this.settings = settings;
    }

    Token fetch(String realm, String service, List<String> scopes, Optional<Credentials> credentials, String registry) {
        URI uri = tokenUri(realm, service, scopes, registry);
        if (credentials.isPresent() && "http".equals(uri.getScheme()) && !settings.isInsecure(uri.getRawAuthority())) {
            throw new RegistryException("registry " + registry + " sends its token requests to the plain-http realm "
                    + RegistryRequest.redact(uri) + "; refusing to send credentials there (add the host to insecureHosts "
                    + "if that is intended)", 401, false, null);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        credentials.ifPresent(c -> headers.put("Authorization", c.basicAuthorization()));
        String what = "token request to " + RegistryRequest.redact(uri) + " for registry " + registry;
        HttpResponse<byte[]> response = retry.exchange(what, () -> transport.send("GET", uri, headers, null));
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            String who = credentials.map(c -> "rejected the credentials of user '" + c.username() + "'")
                    .orElse("refused an anonymous token (configure credentials for " + registry + ")");
            throw new RegistryException("the token server " + RegistryRequest.redact(uri) + " of registry " + registry
                    + " " + who + " for scope " + String.join(" ", scopes) + " (HTTP " + status + ")", 401, false,
                    OciErrors.parse(response.body()).map(OciErrors.OciError::code).orElse("UNAUTHORIZED"));
        }
        if (status / 100 != 2) {
            throw OciErrors.failure(what, response);
        }
        Token token = parse(response.body(), what);
        RegistryLog.debug(() -> "got a token for " + registry + " scope " + String.join(" ", scopes) + " from "
                + RegistryRequest.redact(uri) + ", valid " + token.lifetime().toSeconds() + "s");
        return token;
    }

    private static URI tokenUri(String realm, String service, List<String> scopes, String registry) {
        StringBuilder uri = new StringBuilder(realm);
        char separator = realm.contains("?") ? '&' : '?';
        if (service != null) {
            uri.append(separator).append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
            separator = '&';
        }
        for (String scope : scopes) {
            uri.append(separator).append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
            separator = '&';
        }
        try {
            URI parsed = URI.create(uri.toString());
            if (!"https".equals(parsed.getScheme()) && !"http".equals(parsed.getScheme())) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new RegistryException("registry " + registry + " named an unusable token realm '" + realm + "': "
                    + e.getMessage(), 401, false, null, e);
        }
    }

    static Token parse(byte[] body, String what) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException(what + " returned no JSON", 200, false, null, e);
        }
        String value = json.path("token").asText("");
        if (value.isEmpty()) {
            value = json.path("access_token").asText("");
        }
        if (value.isEmpty()) {
            throw new RegistryException(what + " returned neither token nor access_token", 200, false, null);
        }
        long expiresIn = json.path("expires_in").asLong(0);
        Duration lifetime = expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_LIFETIME;
        Instant issuedAt = null;
        if (json.path("issued_at").isTextual()) {
            try {
                issuedAt = Instant.parse(json.path("issued_at").asText());
            } catch (DateTimeParseException e) {
                // optional: the lifetime then counts from now
            }
        }
        return new Token(value, lifetime, issuedAt);
    }
}
