package dev.freshen.notifier.webhook;

import dev.freshen.events.CloudEventEnvelope;
import dev.freshen.events.EventJson;
import dev.freshen.events.FreshenEvent;
import dev.freshen.notifier.AnswerRule;
import dev.freshen.notifier.DeliveryKey;
import dev.freshen.notifier.JsonPost;
import dev.freshen.notifier.Notifier;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Posts the event itself as JSON, in CloudEvents binary HTTP mode ({@code ce-*} headers), to a generic webhook; any
 * 2xx is success ({@link AnswerRule#HTTP}). The event's id, {@code <runId>/<event type>} (e.g.
 * {@code b-3f…/image-published}), is both {@code ce-id} and the Standard Webhooks {@code webhook-id}: the same for
 * every retry and redelivery (and for every channel the event goes to), so a receiver can drop duplicates. Every post
 * carries {@code webhook-timestamp} (the attempt's time, Unix seconds); with a secret it is signed
 * ({@link StandardWebhooks}: {@code webhook-signature}, one {@code v1} signature per secret) and, for one more
 * release, also with the deprecated {@code X-Freshen-Signature} ({@link WebhookSignature}, first secret only).
 */
public final class JsonWebhook implements Notifier {

    static final String SOURCE = "/freshen/notifier";

    private final JsonPost post;
    private final List<StandardWebhooks.Key> keys;
    private final Optional<String> legacySecret;
    private final Clock clock;

    /**
     * @param secret the channel's secret setting: none, or one or more secrets separated by whitespace (the first is
     *               current, the others are being rotated out)
     * @throws IllegalArgumentException when a secret is not usable ({@link StandardWebhooks#keys})
     */
    public JsonWebhook(JsonPost post, Optional<String> secret, Clock clock) {
        this.post = post;
        this.keys = secret.map(StandardWebhooks::keys).orElse(List.of());
        this.legacySecret = secret.map(s -> s.strip().split("\\s+")[0]);
        this.clock = clock;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    @SuppressWarnings("deprecation") // X-Freshen-Signature is still sent for one release
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
        long timestamp = clock.instant().getEpochSecond();
        headers.put(StandardWebhooks.ID, id);
        headers.put(StandardWebhooks.TIMESTAMP, Long.toString(timestamp));
        if (!keys.isEmpty()) {
            headers.put(StandardWebhooks.SIGNATURE, StandardWebhooks.signatures(keys, id, timestamp, body));
        }
        legacySecret.ifPresent(s -> headers.put(WebhookSignature.HEADER, WebhookSignature.sign(s, body)));
        post.send(body, headers, AnswerRule.HTTP);
    }
}
