package dev.freshen.faults;

import dev.freshen.events.ImagePublished;
import dev.freshen.events.Topics;
import dev.freshen.testing.WebhookReceiver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator's replay: a notification endpoint fails until the announcement is dead-lettered, the endpoint is
 * mended, {@code freshen dlq replay} sends the event back, and exactly one card arrives, however often the replay or
 * the event is repeated.
 */
@Order(4)
class ReplayIT {

    private static final String IMAGE = "faults/notify";
    private static FaultStack stack;

    @BeforeAll
    static void up() {
        stack = FaultStack.shared();
        stack.addImage(IMAGE, "dotnet/runtime:10.0", "", "flaky");
    }

    @Test
    void aFailedNotificationIsDeadLetteredAndAReplayDeliversExactlyOneCard() throws Exception {
        ScenarioReport.run("6 notification endpoint down -> DLQ -> fixed -> replay", () -> {
            stack.receiver.reply(FaultStack.FLAKY_PATH, WebhookReceiver.Reply.status(503));
            String runId = stack.forceUpdate(IMAGE, "fault: endpoint down");
            ImagePublished published = stack.awaitPublished(runId);
            stack.topics.awaitRecord(Topics.NOTIFIER_DLQ, r -> IMAGE.equals(r.key())
                    && new String(r.value(), StandardCharsets.UTF_8).contains(runId), FaultStack.RUN_TIMEOUT);
            int failedPosts = stack.receiver.requests(FaultStack.FLAKY_PATH).size();

            String listed = stack.freshen("dlq", "list", "--service", "notifier", "--image", IMAGE, "--since", "1h");
            assertTrue(listed.contains(runId) && listed.contains("no"), listed);

            stack.receiver.reply(FaultStack.FLAKY_PATH, WebhookReceiver.Reply.status(200));
            assertTrue(stack.freshen("dlq", "replay", "--service", "notifier", "--run-id", runId)
                    .contains("1 dead letter(s) replayed"));
            await().atMost(Duration.ofSeconds(60)).until(() -> posts() == failedPosts + 1);
            var card = stack.receiver.requests(FaultStack.FLAKY_PATH).get(failedPosts);
            assertTrue(card.body().contains(runId) && card.body().contains("10.0-1.0.0"), card.body());

            // again: nothing left to replay; and the event itself redelivered: already delivered
            assertTrue(stack.freshen("dlq", "replay", "--service", "notifier", "--run-id", runId)
                    .contains("0 dead letter(s) replayed"));
            stack.topics.send(published);
            await().atMost(Duration.ofSeconds(60)).until(() -> stack.service("notifier").logText().lines()
                    .anyMatch(l -> l.contains("Run " + runId) && l.contains("skipped on flaky: already delivered")));
            assertEquals(failedPosts + 1, posts(), "exactly one card after the failed attempts");

            EndState end = stack.endState(List.of(IMAGE));
            end.assertConsistent();
            return end.counts() + " failed-posts=" + failedPosts + " cards=1";
        });
    }

    /** Posts to the flaky channel so far (only this scenario's image uses it). */
    private static int posts() {
        return stack.receiver.requests(FaultStack.FLAKY_PATH).size();
    }
}
