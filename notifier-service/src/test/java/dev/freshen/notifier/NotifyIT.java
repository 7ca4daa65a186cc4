package dev.freshen.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.EventJson;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ChecksFailed;
import dev.freshen.events.ChecksRecovered;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Topics;
import dev.freshen.notifier.messaging.KafkaDeliveryLedger;
import dev.freshen.notifier.teams.AdaptiveCardValidator;
import dev.freshen.notifier.webhook.StandardWebhooksVerifier;
import dev.freshen.notifier.webhook.WebhookSignature;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.ServiceProcess;
import dev.freshen.testing.WebhookReceiver;
import dev.freshen.testing.WebhookReceiver.Reply;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged notifier as its own process, with the real Kafka broker and a real HTTP server standing in for Teams
 * (Workflows and legacy), Slack and a generic webhook, answering as recorded ({@link RecordedAnswer}): what each
 * receives (valid cards, signatures the Standard Webhooks reference library verifies), retries (also a legacy Teams
 * webhook throttling behind a 200), dead letters, and idempotency across redelivery and restart, and the announcement
 * of an image that is not watched any more. Channels are picked by the descriptors of a test platform-images folder.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotifyIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEAMS_TOKEN = "WORKFLOW-T0KEN-7c1e";
    private static final String SLACK_TOKEN = "SLACK-T0KEN-55aa";
    private static final String HMAC_SECRET = "HMAC-S3CRET-93b0";
    /** The hook channel's current secret; {@link #HMAC_SECRET} is the one being rotated out. */
    private static final String WHSEC_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    private static final String TEAMS = "/workflows/" + TEAMS_TOKEN;
    private static final String SLACK = "/services/" + SLACK_TOKEN;

    private static WebhookReceiver receiver;
    private static EventTopics topics;
    private static ServiceProcess notifier;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        receiver = WebhookReceiver.start();
        receiver.reply(Reply.status(202));
        receiver.reply("/legacy", RecordedAnswer.of("teams-legacy", "success-1").reply());
        receiver.reply("/throttled", RecordedAnswer.of("teams-legacy", "throttled-429-in-200").reply(),
                RecordedAnswer.of("teams-legacy", "success-1").reply());
        receiver.reply(SLACK, RecordedAnswer.of("slack", "ok-200").reply());
        receiver.reply("/flaky", Reply.status(429).withHeader("Retry-After", "1"), Reply.status(202));
        receiver.reply("/down", Reply.status(500).withBody("internal error"));
        topics = new EventTopics(KafkaBroker.bootstrapServers());

        Path images = dir.resolve("platform-images");
        image(images, "it/all", "[teams, legacy, slack, hook]");
        image(images, "it/flaky", "[flaky]");
        image(images, "it/throttled", "[throttled]");
        image(images, "it/down", "[down]");
        image(images, "it/half", "[down, legacy]");
        image(images, "it/unlisted", null);
        image(images, "it/broken", "[slack, legacy]");
        Files.writeString(images.resolve("it/broken/platform-image.yaml"), "target: {repository: platform/it-broken, "
                + "tagPrefix: '10.0'}\nbuidl: {buildkit: auto}\nnotify: [slack, legacy]\n");
        Path slackUrl = Files.writeString(dir.resolve("slack-url"), receiver.url(SLACK) + "\n");
        Path secret = Files.writeString(dir.resolve("hmac-secret"), WHSEC_SECRET + "\n" + HMAC_SECRET + "\n");

        notifier = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", KafkaBroker.bootstrapServers()),
                Map.entry("freshen.platform-images-dir", images.toString()),
                Map.entry("freshen.notifier.channels.teams.type", "teams"),
                Map.entry("freshen.notifier.channels.teams.url", receiver.url(TEAMS).toString()),
                Map.entry("freshen.notifier.channels.legacy.type", "teams"),
                Map.entry("freshen.notifier.channels.legacy.url", receiver.url("/legacy").toString()),
                Map.entry("freshen.notifier.channels.legacy.flavor", "legacy"),
                Map.entry("freshen.notifier.channels.throttled.type", "teams"),
                Map.entry("freshen.notifier.channels.throttled.url", receiver.url("/throttled").toString()),
                Map.entry("freshen.notifier.channels.throttled.flavor", "legacy"),
                Map.entry("freshen.notifier.channels.slack.type", "slack"),
                Map.entry("freshen.notifier.channels.slack.url-file", slackUrl.toString()),
                Map.entry("freshen.notifier.channels.hook.type", "webhook"),
                Map.entry("freshen.notifier.channels.hook.url", receiver.url("/hook").toString()),
                Map.entry("freshen.notifier.channels.hook.secret-file", secret.toString()),
                Map.entry("freshen.notifier.channels.flaky.type", "teams"),
                Map.entry("freshen.notifier.channels.flaky.url", receiver.url("/flaky").toString()),
                Map.entry("freshen.notifier.channels.down.type", "webhook"),
                Map.entry("freshen.notifier.channels.down.url", receiver.url("/down").toString()),
                Map.entry("freshen.notifier.default-channels", "teams,hook"),
                Map.entry("freshen.notifier.max-attempts", "3"),
                Map.entry("freshen.notifier.initial-backoff", "100ms"),
                Map.entry("freshen.notifier.max-backoff", "5s"),
                Map.entry("freshen.notifier.timeout", "5s")), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (notifier != null) {
            notifier.close();
        }
        topics.close();
        receiver.close();
    }

    @Test
    @Order(1)
    void publishedAndFailedRunsReachEveryChannelOfTheImageAsValidCardsBlocksAndSignedEvents() throws IOException {
        ImagePublished published = Events.published("it/all");
        PipelineFailed failed = Events.failed("it/all", "step 1/2\nstep 2/2: exit code 3");
        topics.send(published);
        topics.send(failed);
        for (String path : List.of(TEAMS, "/legacy", SLACK, "/hook")) {
            await(path).atMost(TIMEOUT).until(() -> posts(path, published).size() == 1 && posts(path, failed).size() == 1);
        }

        for (String path : List.of(TEAMS, "/legacy")) {
            String publishedCard = posts(path, published).get(0).body();
            String failedCard = posts(path, failed).get(0).body();
            AdaptiveCardValidator.assertValid(publishedCard);
            AdaptiveCardValidator.assertValid(failedCard);
            JsonNode card = JSON.readTree(publishedCard).at("/attachments/0/content");
            assertEquals("✅ Published it/all 10.0-noble-1.3.0", card.at("/body/0/text").asText());
            assertTrue(publishedCard.contains("\"FROM " + published.image() + "\""), publishedCard);
            assertTrue(failedCard.contains("freshen force-update it/all --reason"), failedCard);
            assertTrue(failedCard.contains("step 2/2: exit code 3"), failedCard);
        }
        JsonNode slack = JSON.readTree(posts(SLACK, published).get(0).body());
        assertEquals("✅ Published it/all 10.0-noble-1.3.0", slack.at("/blocks/0/text/text").asText());
        assertTrue(JSON.readTree(posts(SLACK, failed).get(0).body()).get("text").asText().startsWith(":x: it/all: run failed at test"));

        WebhookReceiver.Request hook = posts("/hook", published).get(0);
        byte[] body = hook.body().getBytes(StandardCharsets.UTF_8);
        assertEquals("dev.freshen.image-published.v1", hook.header("ce-type"));
        assertEquals(published.runId() + "/image-published", hook.header("webhook-id"));
        assertEquals(published, EventJson.read(body, ImagePublished.class));
        Map<String, String> signed = Map.of("webhook-id", hook.header("webhook-id"), "webhook-timestamp",
                hook.header("webhook-timestamp"), "webhook-signature", hook.header("webhook-signature"));
        for (String key : List.of(WHSEC_SECRET, HMAC_SECRET)) {
            assertEquals(Optional.empty(), StandardWebhooksVerifier.rejection(key, body, signed), "signed with " + key);
        }
        assertTrue(deprecatedSignatureVerifies(body, hook.header("X-Freshen-Signature")), "and the old way, for now");
    }

    @SuppressWarnings("deprecation")
    private static boolean deprecatedSignatureVerifies(byte[] body, String signature) {
        return WebhookSignature.verify(WHSEC_SECRET, body, signature);
    }

    @Test
    @Order(2)
    void imagesWhoseDescriptorNamesNoChannelGoToTheDefaultChannels() {
        ImagePublished event = Events.simplePublished("it/unlisted");
        topics.send(event);
        ImagePublished after = Events.simplePublished("it/unlisted");
        topics.send(after);
        await().atMost(TIMEOUT).until(() -> posts(TEAMS, after).size() == 1 && posts("/hook", after).size() == 1);
        // same image, same partition, handled in order: the first event is done
        assertEquals(1, posts(TEAMS, event).size());
        assertEquals(1, posts("/hook", event).size());
        assertEquals(0, posts(SLACK, event).size() + posts("/legacy", event).size());
    }

    @Test
    @Order(3)
    void tooManyRequestsWithRetryAfterThenAcceptedIsOneDelivery() {
        ImagePublished event = Events.simplePublished("it/flaky");
        topics.send(event);
        await("/flaky").atMost(TIMEOUT).until(() -> posts("/flaky", event).size() == 2);
        List<WebhookReceiver.Request> all = receiver.requests();
        List<Instant> arrivals = receiver.arrivals();
        List<Instant> times = IntStream.range(0, all.size())
                .filter(i -> all.get(i).path().equals("/flaky") && all.get(i).body().contains(event.runId()))
                .mapToObj(arrivals::get).toList();
        assertTrue(Duration.between(times.get(0), times.get(1)).toMillis() >= 950, "waited for Retry-After: 1");
        await().atMost(TIMEOUT).until(() -> notifier.logText().contains("Run " + event.runId()
                + " (it/flaky): image-published announced on flaky (teams, 2 attempts)"));
        assertEquals(2, posts("/flaky", event).size(), "one 429, then one accepted delivery");
    }

    @Test
    @Order(4)
    void aLegacyTeamsWebhookThrottlingBehindA200IsRetriedAndDeliveredOnceWhenItAnswers1() {
        ImagePublished event = Events.simplePublished("it/throttled");
        topics.send(event);
        await("/throttled").atMost(TIMEOUT).until(() -> notifier.logText().contains("Run " + event.runId()
                + " (it/throttled): image-published announced on throttled (teams, 2 attempts)"));
        assertEquals(2, posts("/throttled", event).size(), "the throttled post, then the one Teams took");
        String key = event.runId() + "/throttled/image-published";
        List<ConsumerRecord<String, byte[]>> records = topics.awaitRecords(KafkaDeliveryLedger.TOPIC,
                r -> key.equals(r.key()), 1, TIMEOUT);
        assertEquals(1, topics.readAll(KafkaDeliveryLedger.TOPIC).stream().filter(r -> key.equals(r.key())).count(),
                "one delivery recorded: " + records);
    }

    @Test
    @Order(5)
    void aChannelThatKeepsFailingSendsTheEventToTheDeadLetterTopicWithTheError() {
        PipelineFailed event = Events.failed("it/down", "log");
        topics.send(event);
        ConsumerRecord<String, byte[]> dead = deadLetter(event, 1).get(0);
        assertEquals("it/down", dead.key());
        assertEquals(event, EventJson.read(dead.value(), PipelineFailed.class));
        assertEquals(Topics.PIPELINE_FAILED, header(dead, "dead-letter-topic"));
        assertEquals("pipeline-failed of run " + event.runId() + " (it/down) not delivered to down (webhook: webhook "
                + "answered HTTP 500: internal error (3 attempts))", header(dead, "dead-letter-reason"));
        assertEquals(3, posts("/down", event).size());
    }

    @Test
    @Order(6)
    void oneChannelDownDoesNotKeepTheOtherFromItsNotificationAndAReplayPostsOnlyWhereItFailed() {
        ImagePublished event = Events.simplePublished("it/half");
        topics.send(event);
        await("/legacy").atMost(TIMEOUT).until(() -> posts("/legacy", event).size() == 1);
        ConsumerRecord<String, byte[]> dead = deadLetter(event, 1).get(0);
        assertTrue(header(dead, "dead-letter-reason").endsWith("not delivered to down (webhook: webhook answered HTTP 500: "
                + "internal error (3 attempts)); delivered to legacy"), header(dead, "dead-letter-reason"));

        topics.send(EventJson.read(dead.value(), ImagePublished.class)); // what `freshen dlq replay` will do
        deadLetter(event, 2);
        assertEquals(6, posts("/down", event).size(), "the failed channel is tried again");
        assertEquals(1, posts("/legacy", event).size(), "the channel that had it is not posted to again");
    }

    @Test
    @Order(7)
    void aRedeliveredEventIsAnnouncedOncePerChannelEvenAfterARestart() throws Exception {
        ImagePublished event = Events.simplePublished("it/all");
        topics.send(event);
        topics.send(event);
        awaitHandledOnAllChannels(Events.simplePublished("it/all"));
        assertOncePerChannel(event);

        notifier.restart(TIMEOUT);
        assertEquals(2, notifier.logText().split("Delivery records read: ", -1).length - 1, "read back at each start");
        topics.send(event);
        awaitHandledOnAllChannels(Events.simplePublished("it/all"));
        assertOncePerChannel(event);
        assertTrue(notifier.logText().contains("Run " + event.runId() + " (it/all): image-published skipped on teams: "
                + "already delivered"));
        assertEquals("compact", topicConfig("freshen.notifier.deliveries", "cleanup.policy"), "one record per key, kept");
    }

    @Test
    @Order(8)
    void neitherChannelUrlsNorSecretsAppearInTheLog() {
        String log = notifier.logText();
        assertTrue(log.contains("Notification channels: down (webhook), flaky (teams, Workflows), hook (webhook), legacy "
                + "(teams, legacy webhook), slack (slack), teams (teams, Workflows), throttled (teams, legacy webhook); "
                + "default: teams, hook"), "the channels are named");
        for (String secret : List.of(TEAMS_TOKEN, SLACK_TOKEN, HMAC_SECRET, WHSEC_SECRET, receiver.url("").toString())) {
            assertFalse(log.contains(secret), "the log shows " + secret);
        }
    }

    @Test
    @Order(9)
    void anImageNotWatchedAnyMoreIsAnnouncedOnceOnTheChannelsItsBrokenDescriptorStillNames() throws IOException {
        ImageWatchChanged broken = Events.notWatched("it/broken");
        ImageWatchChanged fixed = Events.watchedAgain(broken);
        topics.send(broken);
        topics.send(broken); // the same change written twice (a retried send, two watchers): one announcement
        topics.send(fixed);
        for (String path : List.of("/legacy", SLACK)) {
            await(path).atMost(TIMEOUT).until(() -> posts(path, fixed).size() == 1);
            assertEquals(1, posts(path, broken).size(), path);
        }
        String card = posts("/legacy", broken).get(0).body();
        AdaptiveCardValidator.assertValid(card);
        assertEquals("⚠️ it/broken is not watched any more", JSON.readTree(card).at("/attachments/0/content/body/0/text").asText());
        assertTrue(card.contains("unknown key 'notfy' at the top level: did you mean notify?"), card);
        AdaptiveCardValidator.assertValid(posts("/legacy", fixed).get(0).body());
        assertTrue(JSON.readTree(posts(SLACK, broken).get(0).body()).get("text").asText()
                .startsWith(":warning: it/broken is not watched any more: it/broken/platform-image.yaml line 1, column 11: "));
        assertEquals(0, posts(TEAMS, broken).size() + posts("/hook", broken).size(), "not the default channels");
        await().atMost(TIMEOUT).until(() -> notifier.logText().contains("Run " + broken.runId()
                + " (it/broken): image-watch-changed skipped on slack: already delivered"));
    }

    /** Sends {@code sentinel} for the same image and waits until every channel has it: earlier events are done. */
    private static void awaitHandledOnAllChannels(ImagePublished sentinel) {
        topics.send(sentinel);
        for (String path : List.of(TEAMS, "/legacy", SLACK, "/hook")) {
            await(path).atMost(TIMEOUT).until(() -> posts(path, sentinel).size() == 1);
        }
    }

    private static void assertOncePerChannel(FreshenEvent event) {
        for (String path : List.of(TEAMS, "/legacy", SLACK, "/hook")) {
            assertEquals(1, posts(path, event).size(), path);
        }
    }

    @Test
    @Order(10)
    void aRollbackAndAFailedRollbackReachEveryChannelOfTheImage() throws IOException {
        ImageRolledBack rolledBack = Events.rolledBack("it/all", "1.3.0 breaks TLS");
        PipelineFailed failed = Events.failedRollback("it/all");
        topics.send(rolledBack);
        topics.send(failed);
        for (String path : List.of(TEAMS, "/legacy", SLACK, "/hook")) {
            await(path).atMost(TIMEOUT).until(() -> posts(path, rolledBack).size() == 1 && posts(path, failed).size() == 1);
        }
        for (String path : List.of(TEAMS, "/legacy")) {
            String card = posts(path, rolledBack).get(0).body();
            AdaptiveCardValidator.assertValid(card);
            assertEquals("⏪ it/all rolled back to 10.0-noble-1.2.0",
                    JSON.readTree(card).at("/attachments/0/content/body/0/text").asText());
            String failedCard = posts(path, failed).get(0).body();
            AdaptiveCardValidator.assertValid(failedCard);
            assertTrue(failedCard.contains("it/all: rollback failed"), failedCard);
        }
        assertTrue(JSON.readTree(posts(SLACK, rolledBack).get(0).body()).get("text").asText()
                .startsWith(":rewind: it/all rolled back to 10.0-noble-1.2.0 by api:ops"));
        WebhookReceiver.Request hook = posts("/hook", rolledBack).get(0);
        assertEquals("dev.freshen.image-rolled-back.v1", hook.header("ce-type"));
        assertEquals(rolledBack.runId() + "/image-rolled-back", hook.header("webhook-id"));
        assertEquals(rolledBack, EventJson.read(hook.body().getBytes(StandardCharsets.UTF_8), ImageRolledBack.class));
    }

    @Test
    @Order(11)
    void checksFailingAndRecoveredReachEveryChannelOfTheImageOnceEach() throws IOException {
        ChecksFailed failed = Events.checksFailed("it/all", "registry-auth-failed", "registry answered 401");
        ChecksRecovered recovered = Events.checksRecovered(failed);
        topics.send(failed);
        topics.send(failed);
        topics.send(recovered);
        ChecksFailed sentinel = new ChecksFailed(dev.freshen.events.RunIds.forCheckStreak("it/all", Events.T0.plusSeconds(1)),
                "it/all", 1, Events.T0.plusSeconds(7200), Events.T0.plusSeconds(1), 3, "check-failed", "sentinel");
        topics.send(sentinel); // after the duplicate on the same partition: once it is posted, the duplicate was handled
        for (String path : List.of(TEAMS, "/legacy", SLACK, "/hook")) {
            await(path).atMost(TIMEOUT).until(() -> posts(path, failed).size() == 2 && posts(path, sentinel).size() == 1);
        }
        for (String path : List.of(TEAMS, "/legacy")) {
            List<String> cards = posts(path, failed).stream().map(WebhookReceiver.Request::body).toList();
            cards.forEach(AdaptiveCardValidator::assertValid);
            assertEquals(List.of("⚠️ it/all: checks failing", "✅ it/all: checks pass again"), cards.stream()
                    .map(c -> readTree(c).at("/attachments/0/content/body/0/text").asText()).sorted().toList(),
                    path + ": each once (the same streak id: told apart by type)");
        }
        assertEquals(List.of(":warning: it/all: checks failing (3 failed checks in a row): registry answered 401",
                        ":white_check_mark: it/all: checks pass again after 5 failed checks (1h 05m)"),
                posts(SLACK, failed).stream().map(r -> readTree(r.body()).get("text").asText()).sorted().toList());
        WebhookReceiver.Request hookFailed = posts("/hook", failed).stream()
                .filter(h -> h.header("ce-type").equals("dev.freshen.checks-failed.v1")).findFirst().orElseThrow();
        WebhookReceiver.Request hookRecovered = posts("/hook", failed).stream()
                .filter(h -> h.header("ce-type").equals("dev.freshen.checks-recovered.v1")).findFirst().orElseThrow();
        assertEquals(failed.runId() + "/checks-failed", hookFailed.header("webhook-id"));
        assertEquals(failed.runId() + "/checks-recovered", hookRecovered.header("webhook-id"));
        assertEquals(failed, EventJson.read(hookFailed.body().getBytes(StandardCharsets.UTF_8), ChecksFailed.class));
        assertEquals(recovered, EventJson.read(hookRecovered.body().getBytes(StandardCharsets.UTF_8), ChecksRecovered.class));
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<WebhookReceiver.Request> posts(String path, FreshenEvent event) {
        return receiver.requests(path).stream().filter(r -> r.body().contains(event.runId())).toList();
    }

    private static String topicConfig(String topic, String name) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource).get(name).value();
        }
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetter(FreshenEvent event, int count) {
        return topics.awaitRecords(Topics.NOTIFIER_DLQ, r -> new String(r.value(), StandardCharsets.UTF_8)
                .contains(event.runId()), count, TIMEOUT);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void image(Path root, String id, String notify) throws IOException {
        Path folder = Files.createDirectories(root.resolve(id));
        Files.writeString(folder.resolve("Dockerfile"), "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
        Files.writeString(folder.resolve("platform-image.yaml"), "target: {repository: platform/" + id.replace('/', '-')
                + ", tagPrefix: '10.0'}\n" + (notify == null ? "" : "notify: " + notify + "\n"));
    }
}
