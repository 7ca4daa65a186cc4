package dev.freshen.notifier.webhook;

import dev.freshen.events.EventJson;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;
import dev.freshen.notifier.DeliveryException;
import dev.freshen.notifier.JsonPost;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonWebhookTest {

    private static final String SECRET = "hmac-s3cret-value";

    private final WebhookReceiver receiver = WebhookReceiver.start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void postsTheEventAsJsonWithCloudEventsHeaders() {
        ImagePublished event = SampleEvents.imagePublished();
        webhook(receiver.url("/hook/s3cret"), Optional.empty()).notify(event);

        WebhookReceiver.Request request = receiver.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/hook/s3cret", request.path());
        assertEquals("application/json", request.header("content-type"));
        assertEquals("dev.freshen.image-published.v1", request.header("ce-type"));
        assertEquals("1.0", request.header("ce-specversion"));
        assertEquals("/freshen/notifier", request.header("ce-source"));
        assertEquals(event.imageId(), request.header("ce-subject"));
        assertEquals(event.runId() + "/image-published", request.header("ce-id"), "stable: receivers can drop duplicates");
        assertNull(request.header(WebhookSignature.HEADER), "no secret, no signature");
        assertEquals(event, EventJson.read(request.body().getBytes(StandardCharsets.UTF_8), ImagePublished.class));
    }

    @Test
    void withASecretTheExactBodyIsSignedWithHmacSha256() {
        PipelineFailed event = SampleEvents.pipelineFailed();
        webhook(receiver.url("/hook"), Optional.of(SECRET)).notify(event);

        WebhookReceiver.Request request = receiver.requests().get(0);
        String signature = request.header("X-Freshen-Signature");
        byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
        assertTrue(signature.matches("sha256=[0-9a-f]{64}"), signature);
        assertTrue(WebhookSignature.verify(SECRET, body, signature));
        assertFalse(WebhookSignature.verify("another secret", body, signature));
        assertFalse(WebhookSignature.verify(SECRET, (request.body() + " ").getBytes(StandardCharsets.UTF_8), signature));
    }

    @Test
    void theSignatureIsTheStandardHmacSha256OfTheBody() {
        // RFC 4231 test case 2
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                WebhookSignature.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void non2xxIsAFailureThatDoesNotRevealTheUrl() {
        receiver.answer(500);
        var e = assertThrows(DeliveryException.class,
                () -> webhook(receiver.url("/hook/s3cret"), Optional.empty()).notify(SampleEvents.pipelineFailed()));
        assertEquals("webhook answered HTTP 500", e.getMessage());
        assertTrue(e.retryable());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    private static JsonWebhook webhook(URI url, Optional<String> secret) {
        return new JsonWebhook(new JsonPost(HttpClient.newHttpClient(), url, Duration.ofSeconds(5), "webhook",
                Clock.systemUTC()), secret);
    }
}
