package dev.freshen.faults;

import dev.freshen.events.FailureKind;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Topics;
import dev.freshen.testing.ServiceProcess;
import dev.freshen.testing.TcpFaultProxy;
import dev.freshen.testing.WebhookReceiver;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every run ends visibly: a stage that fails unexpectedly ends its run as {@code internal} (and a replay after the
 * fix publishes it, shown as superseding), a run nobody answers ends as {@code timed-out} (and the late answer
 * supersedes it), a Teams connector that answers 200 with an error text is tried again until it really took
 * the card, and a service stopped while it waits to retry leaves the run to its restart instead of failing it.
 */
@Order(7)
class EndsVisiblyIT {

    private static final String INTERNAL = "faults/internal";
    private static final String STUCK = "faults/stuck";
    private static final String LEGACY = "faults/legacy-teams";
    private static final String STOPPED = "faults/stopped-in-retry";
    private static FaultStack stack;

    @BeforeAll
    static void up() {
        stack = FaultStack.shared();
        stack.addImage(INTERNAL, "dotnet/runtime:10.0", "", "teams");
        stack.addImage(STUCK, "dotnet/runtime:10.0", "", "teams");
        stack.addImage(LEGACY, "dotnet/runtime:10.0", "", "legacy");
        stack.addImage(STOPPED, "dotnet/runtime:10.0", "", "teams");
    }

    @Test
    void aServiceStoppedWhileItWaitsToRetryARegistryRequestLeavesTheRunForItsRestart() throws Exception {
        ScenarioReport.run("12 publisher stopped in a registry retry wait, restarted", () -> {
            ServiceProcess publisher = stack.service("publisher");
            String runId = stack.forceUpdate(STOPPED, "fault: stopped while retrying");
            stack.awaitBuilding(runId, STOPPED);
            TcpFaultProxy.Hold promotion = stack.proxy.holdFirst("GET /v2/" + STOPPED + "/tags/list");
            assertTrue(promotion.awaitHeld(FaultStack.RUN_TIMEOUT), "the publisher never started the promotion");
            stack.company.stop();
            try {
                promotion.release();
                await("the registry client waits to retry").atMost(Duration.ofSeconds(60)).until(() -> publisher
                        .logText().contains("/v2/" + STOPPED + "/tags/list (attempt 2 of "));
                publisher.stop();
                assertTrue(publisher.logText().contains("Stopping: run " + runId + " (image " + STOPPED
                        + ") is left unacknowledged, to be delivered again"), "the wait was interrupted by the stop");
            } finally {
                stack.company.restart();
            }
            publisher.restart(FaultStack.READY);

            ImagePublished published = stack.awaitPublished(runId);
            assertEquals("1.0.0", published.version());
            EndState end = stack.endState(List.of(STOPPED));
            end.assertConsistent();
            assertTrue(end.failedRuns().isEmpty(), "stopping is not failing: " + end.failedRuns());
            return end.counts();
        });
    }

    @Test
    void anUnexpectedErrorEndsTheRunAsInternalAndAReplayAfterTheFixSupersedesIt() throws Exception {
        ScenarioReport.run("9 handler exception -> internal + DLQ -> fixed -> replay", () -> {
            Files.writeString(stack.failingImages, INTERNAL + "\n");
            String runId = stack.forceUpdate(INTERNAL, "fault: a defect in the builder");
            PipelineFailed failed = stack.topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(runId),
                    FaultStack.RUN_TIMEOUT);
            assertEquals(Stage.BUILD, failed.stage());
            assertEquals(FailureKind.INTERNAL, failed.kind());
            assertEquals("internal error in the build stage; the logs of run " + runId + " say more", failed.reason());
            stack.topics.awaitRecord(Topics.BUILDER_DLQ, r -> INTERNAL.equals(r.key())
                    && new String(r.value(), StandardCharsets.UTF_8).contains(runId), FaultStack.RUN_TIMEOUT);
            await("the failure card").atMost(Duration.ofSeconds(60)).until(() -> cards(FaultStack.TEAMS_PATH, runId)
                    .stream().anyMatch(c -> c.contains("internal error in the build stage")));
            assertFalse(cards(FaultStack.TEAMS_PATH, runId).get(0).contains("IllegalStateException"),
                    "the exception stays in the logs and the dead-letter headers");

            Files.delete(stack.failingImages);
            assertTrue(stack.freshen("dlq", "replay", "--service", "builder", "--run-id", runId)
                    .contains("1 dead letter(s) replayed"));
            ImagePublished published = stack.awaitPublished(runId);
            JsonPath run = await("the run ledger has both outcomes").atMost(Duration.ofSeconds(30))
                    .until(() -> stack.api().get("/api/v1/runs/" + runId).jsonPath(),
                            json -> json.getString("supersededBy.state") != null);
            assertEquals("FAILED", run.getString("state"), "the first outcome stays the run's outcome");
            assertEquals("PUBLISHED", run.getString("supersededBy.state"));
            assertEquals(published.image().tag(), run.getString("supersededBy.detail"));

            EndState end = stack.endState(List.of(INTERNAL));
            end.assertConsistent();
            assertEquals(1, end.runs().size(), "one run, never a second");
            return end.counts();
        });
    }

    @Test
    void aRunNobodyAnswersTimesOutAndTheLateAnswerSupersedesIt() throws Exception {
        ScenarioReport.run("10 publisher down: run timed out, late publish supersedes", () -> {
            stack.restartWith("watcher", Map.of("freshen.watcher.run-timeout.publish", "5s",
                    "freshen.watcher.run-timeout.check-interval", "1s"));
            stack.service("publisher").stop();
            try {
                String runId = stack.forceUpdate(STUCK, "fault: publisher down");
                PipelineFailed timedOut = stack.topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(runId),
                        FaultStack.RUN_TIMEOUT);
                assertEquals(Stage.PUBLISH, timedOut.stage());
                assertEquals(FailureKind.TIMED_OUT, timedOut.kind());
                assertTrue(timedOut.reason().startsWith("no answer from the publish stage within 5s"), timedOut.reason());
                await("the time-out card").atMost(Duration.ofSeconds(60)).until(() -> cards(FaultStack.TEAMS_PATH, runId)
                        .stream().anyMatch(c -> c.contains("no answer from the publish stage")));

                stack.service("publisher").restart(FaultStack.READY);
                ImagePublished published = stack.awaitPublished(runId);
                JsonPath run = await("the late outcome supersedes").atMost(Duration.ofSeconds(30))
                        .until(() -> stack.api().get("/api/v1/runs/" + runId).jsonPath(),
                                json -> json.getString("supersededBy.state") != null);
                assertEquals("FAILED", run.getString("state"));
                assertEquals("timed-out", run.getString("failure.kind"));
                assertEquals(published.image().tag(), run.getString("supersededBy.detail"));
                EndState end = stack.endState(List.of(STUCK));
                end.assertConsistent();
                return end.counts();
            } finally {
                stack.restartAsUsual("watcher");
            }
        });
    }

    @Test
    void aLegacyTeamsConnectorThatAnswers200WithAnErrorIsTriedAgainUntilItAnswers1() throws Exception {
        ScenarioReport.run("11 Teams legacy: 200 with an error text, then 1", () -> {
            stack.receiver.reply(FaultStack.LEGACY_PATH,
                    WebhookReceiver.Reply.status(200).withBody("Webhook message delivery failed with error: Microsoft "
                            + "Teams endpoint returned HTTP error 429 with ContextId tcid=0,server=msgapi-production"),
                    WebhookReceiver.Reply.status(200).withBody("1"));
            String runId = stack.forceUpdate(LEGACY, "fault: throttled connector");
            stack.awaitPublished(runId);
            await("delivered on the second post").atMost(Duration.ofSeconds(60)).until(() -> stack.service("notifier")
                    .logText().lines().anyMatch(l -> l.contains("Run " + runId) && l.contains("announced on legacy")));
            assertEquals(2, cards(FaultStack.LEGACY_PATH, runId).size(), "the throttled post, then the delivered one");
            assertTrue(stack.service("notifier").logText().lines()
                    .anyMatch(l -> l.contains("Run " + runId) && l.contains("announced on legacy (teams, 2 attempts)")));
            EndState end = stack.endState(List.of(LEGACY));
            end.assertConsistent();
            return end.counts() + " posts=2 delivered=1";
        });
    }

    /** The bodies posted to {@code path} that are about {@code runId}. */
    private static List<String> cards(String path, String runId) {
        return stack.receiver.requests(path).stream().map(WebhookReceiver.Request::body)
                .filter(body -> body.contains(runId)).toList();
    }
}
