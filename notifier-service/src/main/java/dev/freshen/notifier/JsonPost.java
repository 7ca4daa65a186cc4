package dev.freshen.notifier;

import dev.freshen.events.Durations;
import dev.freshen.retry.Failures;
import dev.freshen.retry.RetryAfter;

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
 * One POST of a JSON body to one endpoint URL, as every notifier makes it. Whether the endpoint took it is for the
 * channel's {@link AnswerRule} to say (a legacy Teams webhook answers {@code 200} also when it did not post the card);
 * a refusal becomes a {@link DeliveryException} that names the endpoint kind, the status, the rule's reason and the
 * start of the body, never the URL; a failure to connect in plain words ("connection refused"), never a Java class
 * name. Time-outs and I/O errors are retryable. A {@code Retry-After} header (seconds or
 * HTTP-date) is passed on with retryable refusals.
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

    /**
     * Posts {@code body} with {@code Content-Type: application/json} and the given extra headers, and returns when
     * {@code rule} finds that the endpoint accepted it.
     *
     * @throws DeliveryException when the endpoint could not be reached or {@code rule} says it did not take the post
     */
    public void send(byte[] body, Map<String, String> headers, AnswerRule rule) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new DeliveryException(name + " did not answer within " + Durations.human(timeout));
        } catch (IOException e) {
            // in plain words ("connection refused", "TLS handshake failed"), with any part of the URL taken out
            throw new DeliveryException(name + " could not be reached: " + redactUrl(Failures.plainWords(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(name + " delivery interrupted", false, null, null);
        }
        Answer answer = new Answer(response.statusCode(), response.headers().map(),
                new String(response.body(), StandardCharsets.UTF_8));
        Verdict verdict = rule.judge(answer);
        if (verdict.kind() == Verdict.Kind.ACCEPTED) {
            return;
        }
        boolean retryable = verdict.kind() == Verdict.Kind.RETRY;
        Duration retryAfter = retryable ? answer.header("Retry-After")
                .flatMap(value -> RetryAfter.parse(value, clock.instant())).orElse(null) : null;
        throw new DeliveryException(name + " answered HTTP " + answer.status()
                + (verdict.reason() == null ? "" : " (" + verdict.reason() + ")") + excerpt(answer.body()), retryable,
                retryAfter, null);
    }

    /** The start of the body on one line (Teams and Slack explain what they disliked), with the URL removed. */
    private String excerpt(String body) {
        String text = body.replaceAll("\\s+", " ").strip();
        if (text.isEmpty()) {
            return "";
        }
        text = redactUrl(text);
        return ": " + (text.length() > BODY_EXCERPT ? text.substring(0, BODY_EXCERPT) + "…" : text);
    }

    /** {@code text} without the URL, its path or its query (where a webhook's secret lives). */
    private String redactUrl(String text) {
        text = redact(text, url.toString());
        text = redact(text, url.getRawPath());
        return redact(text, url.getRawQuery());
    }

    private static String redact(String text, String secret) {
        return secret == null || secret.length() < 2 || "/".equals(secret) ? text : text.replace(secret, "<redacted>");
    }
}
