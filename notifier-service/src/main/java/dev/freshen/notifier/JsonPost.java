package dev.freshen.notifier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * One POST of a JSON body to one endpoint URL, as every notifier makes it: any 2xx is success (Teams Workflows answer
 * 202, legacy Teams webhooks 200 with {@code 1}, Slack 200 with {@code ok}); anything else becomes a
 * {@link DeliveryException} that names the endpoint kind and the status, never the URL. 408, 425, 429, 5xx and I/O
 * errors are retryable; other statuses are not (the request itself is wrong, sending it again will not help).
 * A {@code Retry-After} header is passed on.
 */
public final class JsonPost {

    private static final int BODY_EXCERPT = 200;

    private final HttpClient http;
    private final URI url;
    private final Duration timeout;
    private final String name;
    private final Clock clock;

    /**
     * @param name the endpoint kind for messages ({@code teams}, {@code slack}, {@code webhook})
     */
    public JsonPost(HttpClient http, URI url, Duration timeout, String name, Clock clock) {
        this.http = http;
        this.url = url;
        this.timeout = timeout;
        this.name = name;
        this.clock = clock;
    }

    /** Posts {@code body} with {@code Content-Type: application/json} and the given extra headers. */
    public void send(byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new DeliveryException(name + " did not answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            // the JDK's messages may carry host and port: say only what kind of failure it was
            throw new DeliveryException(name + " could not be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(name + " delivery interrupted", false, null, null);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        Duration retryAfter = response.headers().firstValue("Retry-After")
                .flatMap(value -> Delivery.parseRetryAfter(value, clock.instant())).orElse(null);
        boolean retryable = status == 408 || status == 425 || status == 429 || status >= 500;
        throw new DeliveryException(name + " answered HTTP " + status + excerpt(response.body()), retryable, retryAfter,
                null);
    }

    /** The start of an error body on one line (Teams and Slack explain what they disliked), with the URL removed. */
    private String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        if (text.isEmpty()) {
            return "";
        }
        text = redact(text, url.toString());
        text = redact(text, url.getRawPath());
        text = redact(text, url.getRawQuery());
        return ": " + (text.length() > BODY_EXCERPT ? text.substring(0, BODY_EXCERPT) + "…" : text);
    }

    private static String redact(String text, String secret) {
        return secret == null || secret.length() < 2 || "/".equals(secret) ? text : text.replace(secret, "<redacted>");
    }
}
