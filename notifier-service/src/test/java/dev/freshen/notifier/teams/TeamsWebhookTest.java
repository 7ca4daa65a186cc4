package dev.freshen.notifier.teams;

import dev.freshen.notifier.Delivery;
import dev.freshen.notifier.DeliveryException;
import dev.freshen.notifier.Events;
import dev.freshen.notifier.JsonPost;
import dev.freshen.notifier.RecordedAnswer;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a Teams channel makes of its webhook's answers, over real HTTP with recorded answers. */
class TeamsWebhookTest {

    private final WebhookReceiver receiver = WebhookReceiver.start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void aLegacyWebhookThatThrottlesBehindA200IsRetriedWithTheBackoffUntilItAnswers1() {
        receiver.reply("/legacy", RecordedAnswer.of("teams-legacy", "throttled-429-in-200").reply(),
                RecordedAnswer.of("teams-legacy", "success-1").reply());
        TeamsWebhook teams = teams(receiver.url("/legacy"), TeamsFlavor.LEGACY);
        List<Duration> waits = new ArrayList<>();
        Delivery delivery = new Delivery(new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(60)),
                retry -> waits.add(retry.delay()), () -> 1.0);

        Delivery.Outcome outcome = delivery.run("card", () -> teams.notify(Events.simplePublished("it/legacy")));

        assertTrue(outcome.delivered());
        assertEquals(2, outcome.attempts());
        assertEquals(List.of(Duration.ofMillis(100)), waits, "the backoff of a real 429");
        assertEquals(2, receiver.requests("/legacy").size());
    }

    @Test
    void aLegacyFailureSaysWhatTeamsReportedWithoutTheUrl() {
        receiver.reply("/legacy/T0KEN", RecordedAnswer.of("teams-legacy", "throttled-429-in-200").reply(),
                RecordedAnswer.of("teams-legacy", "channel-removed-400-in-200").reply());
        TeamsWebhook teams = teams(receiver.url("/legacy/T0KEN"), TeamsFlavor.LEGACY);

        var throttled = assertThrows(DeliveryException.class, () -> teams.notify(Events.simplePublished("it/legacy")));
        assertTrue(throttled.retryable());
        assertEquals("teams answered HTTP 200 (Teams did not post the card: it reports HTTP 429 (too many requests: "
                + "throttled)): Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error "
                + "429 with ContextId tcid=0,server=msgapi-production-cse-azsc7-2-35,cv=blablba.0,MS-CV=blababl.0..",
                throttled.getMessage());

        var removed = assertThrows(DeliveryException.class, () -> teams.notify(Events.simplePublished("it/legacy")));
        assertFalse(removed.retryable());
        assertTrue(removed.getMessage().startsWith("teams answered HTTP 200 (Teams did not post the card: it reports "
                + "HTTP 400 (the card was refused), which sending it again will not change): Webhook message delivery "
                + "failed"), removed.getMessage());
        assertFalse(removed.getMessage().contains("T0KEN"));
    }

    @Test
    void aWorkflowsFlowThatAcceptsIsDeliveredAndThe1OfALegacyWebhookIsNotNeeded() {
        receiver.reply("/workflows", RecordedAnswer.of("teams-workflows", "accepted-202").reply(),
                RecordedAnswer.of("teams-workflows", "response-action-200").reply());
        TeamsWebhook teams = teams(receiver.url("/workflows"), TeamsFlavor.WORKFLOWS);
        teams.notify(Events.simplePublished("it/workflows"));
        teams.notify(Events.simplePublished("it/workflows"));
        assertEquals(2, receiver.requests("/workflows").size());
    }

    @Test
    void theLegacyRuleWantsTheSuccessAnswerNotJustA200() {
        receiver.reply("/legacy", WebhookReceiver.Reply.status(200));
        var e = assertThrows(DeliveryException.class,
                () -> teams(receiver.url("/legacy"), TeamsFlavor.LEGACY).notify(Events.simplePublished("it/legacy")));
        assertEquals("teams answered HTTP 200 (not confirmed: a legacy Teams webhook answers 1 once it has posted the "
                + "card)", e.getMessage());
        assertTrue(e.retryable());
    }

    @Test
    void hostsTellTheFlavorWhenTheyAreMicrosofts() {
        assertEquals(Optional.of(TeamsFlavor.LEGACY), flavorOf("https://contoso.webhook.office.com/webhookb2/x"));
        assertEquals(Optional.of(TeamsFlavor.LEGACY), flavorOf("https://outlook.office365.com/webhook/x"));
        assertEquals(Optional.of(TeamsFlavor.WORKFLOWS),
                flavorOf("https://prod-12.westeurope.logic.azure.com:443/workflows/x/triggers/manual/paths/invoke"));
        assertEquals(Optional.of(TeamsFlavor.WORKFLOWS),
                flavorOf("https://default1234.ab.environment.api.powerplatform.com:443/powerautomate/automations/x"));
        assertEquals(Optional.empty(), flavorOf("http://127.0.0.1:8090/teams"));
        assertEquals(Optional.empty(), flavorOf("https://webhook.office.com.example.net/x"), "suffix only");
    }

    private static Optional<TeamsFlavor> flavorOf(String url) {
        return TeamsFlavor.ofHost(URI.create(url));
    }

    private static TeamsWebhook teams(URI url, TeamsFlavor flavor) {
        return new TeamsWebhook(new JsonPost(HttpClient.newHttpClient(), url, Duration.ofSeconds(5), "teams",
                Clock.systemUTC()), flavor);
    }
}
