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
    void postsTheBodyWithItsHeadersAndReturnsWhenTheRuleAccepts() {
        receiver.reply(Reply.status(202));
        JsonPost post = post(receiver.url("/hook"));
        assertDoesNotThrow(() -> post.send("{}".getBytes(StandardCharsets.UTF_8), Map.of("X-Test", "yes"),
                AnswerRule.HTTP));
        WebhookReceiver.Request request = receiver.requests("/hook").get(0);
        assertEquals("{}", request.body());
        assertEquals("yes", request.header("X-Test"));
        assertEquals("application/json", request.header("Content-Type"));
    }

    @Test
    void theRuleDecidesAndItsReasonIsPartOfTheFailure() {
        receiver.reply(Reply.status(200).withHeader("Retry-After", "3").withBody("not yet"),
                Reply.status(200).withBody("refused"));
        JsonPost post = post(receiver.url("/hook"));
        AnswerRule rule = answer -> answer.body().equals("not yet") ? Verdict.retry("the endpoint is busy")
                : Verdict.fail(null);
        var retry = assertThrows(DeliveryException.class, () -> post.send(new byte[0], Map.of(), rule));
        assertEquals("teams answered HTTP 200 (the endpoint is busy): not yet", retry.getMessage());
        assertTrue(retry.retryable());
        assertEquals(Optional.of(Duration.ofSeconds(3)), retry.retryAfter());
        var fail = assertThrows(DeliveryException.class, () -> post.send(new byte[0], Map.of(), rule));
        assertEquals("teams answered HTTP 200: refused", fail.getMessage());
        assertFalse(fail.retryable());
    }

    @Test
    void tooManyRequestsIsRetryableAndCarriesRetryAfter() {
        receiver.reply(Reply.status(429).withHeader("Retry-After", "7"));
        var e = assertThrows(DeliveryException.class,
                () -> post(receiver.url("/hook")).send(new byte[0], Map.of(), AnswerRule.HTTP));
        assertEquals("teams answered HTTP 429", e.getMessage());
        assertTrue(e.retryable());
        assertEquals(Optional.of(Duration.ofSeconds(7)), e.retryAfter());
    }

    @Test
    void aBadRequestIsNotRetriedAndItsBodyIsQuotedWithoutTheUrl() {
        receiver.reply(Reply.status(400).withBody("Bad payload for /hook/T0KEN-123?sig=abc:\n  summary missing"));
        var e = assertThrows(DeliveryException.class,
                () -> post(receiver.url("/hook/T0KEN-123?sig=abc")).send(new byte[0], Map.of(),
                        AnswerRule.HTTP));
        assertFalse(e.retryable());
        assertEquals("teams answered HTTP 400: Bad payload for <redacted>?<redacted>: summary missing", e.getMessage());
    }

    @Test
    void serverErrorsAndUnreachableEndpointsAreRetryable() {
        receiver.answer(503);
        assertTrue(assertThrows(DeliveryException.class, () -> post(receiver.url("/x")).send(new byte[0], Map.of(),
                AnswerRule.HTTP)).retryable());
        URI closed = receiver.url("/x");
        receiver.close();
        var e = assertThrows(DeliveryException.class, () -> post(closed).send(new byte[0], Map.of(), AnswerRule.HTTP));
        assertTrue(e.retryable());
        assertEquals("teams could not be reached: connection refused", e.getMessage());
        assertFalse(e.getMessage().contains(String.valueOf(closed.getPort())), "no host or port: " + e.getMessage());
    }

    private static JsonPost post(URI url) {
        return new JsonPost(HttpClient.newHttpClient(), url, Duration.ofSeconds(5), "teams", Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
