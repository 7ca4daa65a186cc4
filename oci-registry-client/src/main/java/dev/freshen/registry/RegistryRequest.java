package dev.freshen.registry;

import java.net.URI;
import java.util.Map;

/**
 * One logical registry request.
 *
 * @param registry the registry as in {@code ImageReference.registry()}: the key of its credentials
 * @param scope    the token scope it needs when the challenge names none ({@code repository:<repo>:pull}...)
 * @param body     the request body, or null
 */
record RegistryRequest(String method, URI uri, String registry, String scope, Map<String, String> headers, byte[] body) {

    RegistryRequest {
        headers = Map.copyOf(headers);
    }

    static RegistryRequest of(String method, URI uri, String registry, String scope, Map<String, String> headers) {
        return new RegistryRequest(method, uri, registry, scope, headers, null);
    }

    /** The host the request goes to ({@code host[:port]}). */
    String host() {
        return uri.getRawAuthority();
    }

    /** {@code GET http://host/v2/...} without the query (upload and redirect URLs may carry signatures). */
    String describe() {
        return method + " " + redact(uri);
    }

    static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
