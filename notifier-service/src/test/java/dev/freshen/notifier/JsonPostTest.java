package dev.freshen.notifier;

import dev.freshen.testing.WebhookReceiver;
import dev.freshen.testing.WebhookReceiver.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonPostTest {

    private static final Instant NOW = Instant.parse("2025-01-14T09:00:00Z");
    private final WebhookReceiver receiver = WebhookReceiver.start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void anyTwoHundredIsSuccessAsWorkflowsLegacyTeamsAndSlackAnswer() {
        receiver.reply(Reply.status(202), Reply.status(200).withBody("1"), Reply.status(200).withBody("ok"));
        JsonPost post = post(receiver.url("/hook"));
        for (int i = 0; i < 3; i++) {
            assertDoesNotThrow(() -> post.send("{}".getBytes(StandardCharsets.UTF_8), Map.of("X-Test", "yes")));
        }
        assertEquals(3, receiver.requests("/hook").size());
        assertEquals("yes", receiver.requests().get(0).header("X-Test"));
        assertEquals("application/json", receiver.requests().get(0).header("Content-Type"));
    }

    @Test
    void tooManyRequestsIsRetryableAndCarriesRetryAfter() {
        receiver.reply(Reply.status(429).withHeader("Retry-After", "7"));
        var e = assertThrows(DeliveryException.class, () -> post(receiver.url("/hook")).send(new byte[0], Map.of()));
        assertEquals("teams answered HTTP 429", e.getMessage());
        assertTrue(e.retryable());
        assertEquals(Optional.of(Duration.ofSeconds(7)), e.retryAfter());
    }

    @Test
    void aBadRequestIsNotRetriedAndItsBodyIsQuotedWithoutTheUrl() {
        receiver.reply(Reply.status(400).withBody("Bad payload for /hook/T0KEN-123?sig=abc:\n  summary missing"));
        var e = assertThrows(DeliveryException.class,
                () -> post(receiver.url("/hook/T0KEN-123?sig=abc")).send(new byte[0], Map.of()));
        assertFalse(e.retryable());
        assertEquals("teams answered HTTP 400: Bad payload for <redacted>?<redacted>: summary missing", e.getMessage());
    }

    @Test
    void serverErrorsAndUnreachableEndpointsAreRetryable() {
        receiver.answer(503);
        assertTrue(assertThrows(DeliveryException.class, () -> post(receiver.url("/x")).send(new byte[0], Map.of())).retryable());
        URI closed = receiver.url("/x");
        receiver.close();
        var e = assertThrows(DeliveryException.class, () -> post(closed).send(new byte[0], Map.of()));
        assertTrue(e.retryable());
        assertTrue(e.getMessage().startsWith("teams could not be reached: "), e.getMessage());
        assertFalse(e.getMessage().contains(String.valueOf(closed.getPort())), "no host or port: " + e.getMessage());
    }

    private static JsonPost post(URI url) {
        return new JsonPost(HttpClient.newHttpClient(), url, Duration.ofSeconds(5), "teams", Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
