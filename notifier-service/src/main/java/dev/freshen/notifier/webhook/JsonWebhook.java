package dev.freshen.notifier.webhook;

import dev.freshen.events.CloudEventEnvelope;
import dev.freshen.events.EventJson;
import dev.freshen.events.FreshenEvent;
import dev.freshen.notifier.DeliveryKey;
import dev.freshen.notifier.JsonPost;
import dev.freshen.notifier.Notifier;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Posts the event itself as JSON, in CloudEvents binary HTTP mode ({@code ce-*} headers), to a generic webhook. The
 * {@code ce-id} is {@code <runId>/<event type>}: the same for every retry and redelivery, so a receiver can drop
 * duplicates. With a secret, the body is signed ({@link WebhookSignature}, header {@code X-Freshen-Signature}).
 */
public final class JsonWebhook implements Notifier {

    static final String SOURCE = "/freshen/notifier";

    private final JsonPost post;
    private final Optional<String> secret;

    public JsonWebhook(JsonPost post, Optional<String> secret) {
        this.post = post;
        this.secret = secret;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void notify(FreshenEvent event) {
        byte[] body = EventJson.write(event);
        Map<String, String> headers = new LinkedHashMap<>();
        String id = event.runId() + "/" + DeliveryKey.eventName(event);
        new CloudEventEnvelope(id, SOURCE, event.type(), event.imageId(), event.occurredAt()).toHeaders()
                .forEach((name, value) -> {
                    if (!name.equals(CloudEventEnvelope.HEADER_CONTENT_TYPE)) {
                        headers.put(name.replace('_', '-'), value);
                    }
                });
        secret.ifPresent(s -> headers.put(WebhookSignature.HEADER, WebhookSignature.sign(s, body)));
        post.send(body, headers);
    }
}
