package dev.freshen.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Sends a {@link RegistryRequest} the way registries need it: authenticated (answering one 401 challenge per attempt),
 * following redirects of GET and HEAD (credentials only to the same origin: blob downloads are often redirected to a
 * signed storage URL), retried after transient failures, and spaced out while the host's pull budget runs low
 * ({@link RequestPacing}: before each attempt, reading the budget from each final response).
 */
final class RegistryHttp {

    private static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final HttpTransport transport;
    private final RegistryRetry retry;
    private final Authenticator authenticator;
    private final RequestPacing pacing;

    RegistryHttp(HttpTransport transport, RegistryRetry retry, Authenticator authenticator, RequestPacing pacing) {
        this.transport = transport;
        this.retry = retry;
        this.authenticator = authenticator;
        this.pacing = pacing;
    }

    /**
     * The final response (any status but 401, 429 and 5xx), or a {@link RegistryException}.
     *
     * @throws dev.freshen.retry.StopRequested when the thread is interrupted (the service is stopping), also while
     *                                          waiting for its turn at a paced host
     */
    HttpResponse<byte[]> exchange(RegistryRequest request) {
        return retry.exchange(request.describe(), () -> {
            pacing.await(request);
            HttpResponse<byte[]> response = authenticated(request);
            pacing.observe(request.host(), response.headers());
            return response;
        });
    }

    /** How one attempt sends its body and receives a successful response's body. */
    record Body(HttpRequest.BodyPublisher publisher, long length, Duration timeout, Consumer<InputStream> stream) {
    }

    /** The shared retry layer, for callers whose attempts are more than one request ({@link BlobCopy}). */
    RegistryRetry retry() {
        return retry;
    }

    /**
     * One attempt, not retried: authenticated, redirects of GET and HEAD followed, body and time-out as {@code body}
     * says ({@code request.body()} is ignored). A successful GET's body goes to {@code body.stream()}.
     *
     * @throws IOException on I/O errors and time-outs, to be retried by the caller through {@link #retry()}
     */
    HttpResponse<byte[]> once(RegistryRequest request, Body body) throws IOException {
        return authenticated(request, body);
    }

    private HttpResponse<byte[]> authenticated(RegistryRequest request) throws IOException {
        byte[] bytes = request.body();
        return authenticated(request, new Body(bytes == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes), bytes == null ? 0 : bytes.length, transport.timeout(),
                null));
    }

    private HttpResponse<byte[]> authenticated(RegistryRequest request, Body body) throws IOException {
        String sent = authenticator.known(request);
        HttpResponse<byte[]> response = send(request, sent, body);
        if (response.statusCode() != 401) {
            return response;
        }
        String answer = authenticator.answer(request, response, sent);
        response = send(request, answer, body);
        if (response.statusCode() == 401) {
            throw authenticator.denied(request, response);
        }
        return response;
    }

    private HttpResponse<byte[]> send(RegistryRequest request, String authorization, Body body) throws IOException {
        URI uri = request.uri();
        boolean followable = request.method().equals("GET") || request.method().equals("HEAD");
        for (int hop = 0; ; hop++) {
            Map<String, String> headers = new LinkedHashMap<>(request.headers());
            if (authorization != null && sameOrigin(uri, request.uri())) {
                headers.put("Authorization", authorization);
            }
            HttpResponse<byte[]> response = transport.send(request.method(), uri, headers, body.publisher(), body.length(),
                    body.timeout(), body.stream());
            Optional<String> location = response.headers().firstValue("Location");
            if (!followable || !REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
                return response;
            }
            if (hop >= MAX_REDIRECTS) {
                throw new RegistryException(request.describe() + " was redirected more than " + MAX_REDIRECTS + " times",
                        response.statusCode(), false, null);
            }
            URI from = uri;
            uri = uri.resolve(location.get().trim());
            URI to = uri;
            RegistryLog.debug(() -> "redirect from " + RegistryRequest.redact(from) + " to " + RegistryRequest.redact(to));
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getRawAuthority().toLowerCase(Locale.ROOT).equals(b.getRawAuthority().toLowerCase(Locale.ROOT));
    }
}
