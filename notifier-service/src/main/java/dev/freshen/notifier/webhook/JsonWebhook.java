package dev.freshen.notifier.webhook;

import dev.freshen.events.CloudEventEnvelope;
import dev.freshen.events.EventJson;
import dev.freshen.events.FreshenEvent;
import dev.freshen.notifier.DeliveryException;
import dev.freshen.notifier.Notifier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Posts the event itself as JSON (CloudEvents binary HTTP mode: {@code ce-*} headers) to a webhook URL; any 2xx is
 * success.
 */
public class JsonWebhook implements Notifier {

    private final HttpClient http;
    private final URI url;
    private final Duration timeout;

    public JsonWebhook(HttpClient http, URI url, Duration timeout) {
        this.http = http;
        this.url = url;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void notify(FreshenEvent event) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(EventJson.write(event)));
        CloudEventEnvelope.of(event, "/freshen/notifier").toHeaders()
                .forEach((name, value) -> request.header(name.replace('_', '-'), value));
        try {
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                throw new DeliveryException(name() + " answered HTTP " + status);
            }
        } catch (IOException e) {
            throw new DeliveryException(name() + " could not be reached: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(name() + " delivery interrupted", e);
        }
    }
}
