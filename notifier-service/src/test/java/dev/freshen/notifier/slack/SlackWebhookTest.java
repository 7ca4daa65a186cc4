package dev.freshen.notifier.slack;

import dev.freshen.notifier.DeliveryException;
import dev.freshen.notifier.Events;
import dev.freshen.notifier.JsonPost;
import dev.freshen.notifier.RecordedAnswer;
import dev.freshen.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a Slack channel makes of its webhook's answers, over real HTTP with recorded answers. */
class SlackWebhookTest {

    private final WebhookReceiver receiver = WebhookReceiver.start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void okIsDelivered() {
        receiver.reply("/services/T0KEN", RecordedAnswer.of("slack", "ok-200").reply());
        slack(receiver.url("/services/T0KEN")).notify(Events.simplePublished("it/slack"));
        assertEquals(1, receiver.requests("/services/T0KEN").size());
    }

    @Test
    void aDocumentedErrorFailsAtOnceSayingWhatItMeans() {
        receiver.reply("/services/T0KEN", RecordedAnswer.of("slack", "channel_not_found-404").reply());
        var e = assertThrows(DeliveryException.class,
                () -> slack(receiver.url("/services/T0KEN")).notify(Events.simplePublished("it/slack")));
        assertFalse(e.retryable());
        assertEquals("slack answered HTTP 404 (the webhook's channel no longer exists: create a new incoming webhook for "
                + "the channel and update the channel's url): channel_not_found", e.getMessage());
    }

    @Test
    void theRateLimitIsRetriedAfterWhatSlackAsks() {
        receiver.reply("/services/T0KEN", RecordedAnswer.of("slack", "rate_limited-429").reply());
        var e = assertThrows(DeliveryException.class,
                () -> slack(receiver.url("/services/T0KEN")).notify(Events.simplePublished("it/slack")));
        assertTrue(e.retryable());
        assertEquals(Optional.of(Duration.ofSeconds(1)), e.retryAfter());
        assertEquals("slack answered HTTP 429 (Slack's rate limit): rate_limited", e.getMessage());
    }

    @Test
    void aTwoHundredThatIsNotOkIsNotSlacksAnswerAndIsNotPostedAgain() {
        receiver.reply("/services/T0KEN", RecordedAnswer.of("slack", "not-slack-200").reply());
        var e = assertThrows(DeliveryException.class,
                () -> slack(receiver.url("/services/T0KEN")).notify(Events.simplePublished("it/slack")));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().startsWith("slack answered HTTP 200 (not Slack's answer: an incoming webhook answers "
                + "ok once it has posted the message; check that the channel's url is the webhook URL Slack gave): "
                + "<html>"), e.getMessage());
    }

    private static SlackWebhook slack(URI url) {
        return new SlackWebhook(new JsonPost(HttpClient.newHttpClient(), url, Duration.ofSeconds(5), "slack",
                Clock.systemUTC()));
    }
}
