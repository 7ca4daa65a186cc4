package dev.freshen.registry;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Answers registry challenges: a {@code Bearer} challenge with a token from the realm (cached per host and scope), a
 * {@code Basic} challenge with the registry's credentials. Remembers which scheme each host asked for, so later
 * requests carry a cached token or the credentials up front instead of collecting a 401 first.
 */
final class Authenticator {

    private enum Scheme { BASIC, BEARER }

    private final CredentialsProvider credentials;
    private final TokenClient tokenClient;
    private final TokenCache tokens;
    private final Map<String, Scheme> schemes = new ConcurrentHashMap<>();

    Authenticator(CredentialsProvider credentials, TokenClient tokenClient, Clock clock) {
        this.credentials = credentials;
        this.tokenClient = tokenClient;
        this.tokens = new TokenCache(clock);
    }

    /** The {@code Authorization} header to send before any challenge, or null. */
    String known(RegistryRequest request) {
        Scheme scheme = schemes.get(request.host());
        if (scheme == Scheme.BEARER) {
            return tokens.get(request.host(), request.scope()).map(token -> "Bearer " + token).orElse(null);
        }
        if (scheme == Scheme.BASIC) {
            return credentials.credentialsFor(request.registry()).map(Credentials::basicAuthorization).orElse(null);
        }
        return null;
    }

    /**
     * The {@code Authorization} header answering a 401, or a {@link RegistryException} (401, not transient) when there
     * is nothing better to send than {@code sent}.
     */
    String answer(RegistryRequest request, HttpResponse<byte[]> unauthorized, String sent) {
        List<AuthChallenge> challenges = AuthChallenge.parse(unauthorized.headers().allValues("WWW-Authenticate"));
        Optional<Credentials> credentials = this.credentials.credentialsFor(request.registry());
        Optional<AuthChallenge> bearer = challenges.stream()
                .filter(c -> c.is("Bearer") && c.param("realm") != null).findFirst();
        if (bearer.isPresent()) {
            String scope = bearer.get().param("scope") == null || bearer.get().param("scope").isBlank()
                    ? request.scope() : bearer.get().param("scope");
            tokens.invalidate(request.host(), request.scope());
            TokenClient.Token token = tokenClient.fetch(bearer.get().param("realm"), bearer.get().param("service"),
                    Arrays.asList(scope.trim().split("\\s+")), credentials, request.registry());
            tokens.put(request.host(), request.scope(), token.value(), token.lifetime(), token.issuedAt());
            schemes.put(request.host(), Scheme.BEARER);
            return "Bearer " + token.value();
        }
        if (challenges.stream().anyMatch(c -> c.is("Basic"))) {
            if (credentials.isEmpty()) {
                throw new RegistryException("registry " + request.registry() + " requires basic authentication for "
                        + request.describe() + " but no credentials are configured for it (freshen.registries.credentials or"
                        + " freshen.registries.docker-config)", 401, false, "UNAUTHORIZED");
            }
            String header = credentials.get().basicAuthorization();
            if (header.equals(sent)) {
                throw denied(request, unauthorized);
            }
            schemes.put(request.host(), Scheme.BASIC);
            return header;
        }
        String offered = challenges.stream().map(AuthChallenge::scheme).collect(Collectors.joining(", "));
        throw new RegistryException("registry " + request.registry() + " answered HTTP 401 to " + request.describe()
                + (offered.isEmpty() ? " without a challenge" : " with unsupported challenges: " + offered), 401, false,
                OciErrors.parse(unauthorized.body()).map(OciErrors.OciError::code).orElse(null));
    }

    /** The failure for a request still unauthorized after answering the challenge. */
    RegistryException denied(RegistryRequest request, HttpResponse<byte[]> response) {
        String who = credentials.credentialsFor(request.registry())
                .map(c -> "the credentials of user '" + c.username() + "'").orElse("anonymous access");
        String why = AuthChallenge.parse(response.headers().allValues("WWW-Authenticate")).stream()
                .map(c -> c.param("error")).filter(e -> e != null && !e.isBlank()).findFirst()
                .map(e -> " (" + e + ")").orElse("");
        Optional<OciErrors.OciError> error = OciErrors.parse(response.body());
        String detail = error.map(e -> ": " + e.code() + (e.message() == null ? "" : " " + e.message())).orElse("");
        return new RegistryException("registry " + request.registry() + " rejected " + who + " for "
                + request.describe() + " (scope " + request.scope() + "): HTTP 401" + why + detail, 401, false,
                error.map(OciErrors.OciError::code).orElse("UNAUTHORIZED"));
    }
}
