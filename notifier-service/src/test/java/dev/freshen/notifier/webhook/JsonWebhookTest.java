package dev.freshen.notifier.webhook;

import dev.freshen.events.EventJson;
import dev.freshen.events.ImagePublished;
import dev.freshen.notifier.DeliveryException;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonWebhookTest {

    private final WebhookReceiver receiver = WebhookReceiver.start();
    private final JsonWebhook webhook = new JsonWebhook(HttpClient.newHttpClient(), receiver.url("/hook/s3cret"),
            Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void postsTheEventAsJsonWithCloudEventsHeaders() {
        ImagePublished event = SampleEvents.imagePublished();
        webhook.notify(event);

        WebhookReceiver.Request request = receiver.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/hook/s3cret", request.path());
        assertEquals("application/json", request.header("content-type"));
        assertEquals("dev.freshen.image-published.v1", request.header("ce-type"));
        assertEquals(event, EventJson.read(request.body().getBytes(StandardCharsets.UTF_8), ImagePublished.class));
    }

    @Test
    void non2xxIsAFailureThatDoesNotRevealTheUrl() {
        receiver.answer(500);
        var e = assertThrows(DeliveryException.class, () -> webhook.notify(SampleEvents.pipelineFailed()));
        assertEquals("webhook answered HTTP 500", e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
    }
}
