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
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonWebhookTest {

    private static final String PLAIN = "hmac-s3cret-value";
    private static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final WebhookReceiver receiver = WebhookReceiver.start();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void postsTheEventAsJsonWithCloudEventsAndStandardWebhooksHeaders() {
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
        assertEquals(request.header("ce-id"), request.header("webhook-id"));
        assertEquals(Long.toString(now.get().getEpochSecond()), request.header("webhook-timestamp"));
        assertNull(request.header("webhook-signature"), "no secret, no signature");
        assertNull(request.header("X-Freshen-Signature"));
        assertEquals(event, EventJson.read(request.body().getBytes(StandardCharsets.UTF_8), ImagePublished.class));
    }

    /** Parent, definition change and dependents reach a webhook as the watcher wrote them, not as a card words them. */
    @Test
    void aTriggersParentDefinitionChangeAndDependentsArePostedAsTheyAre() throws Exception {
        PipelineFailed event = dev.freshen.notifier.Events.withTrigger(SampleEvents.pipelineFailed(),
                dev.freshen.notifier.Events.definitionChanged(12, 3, 2, 0).withDependents(List.of("team/app")));
        webhook(receiver.url("/hook"), Optional.empty()).notify(event);

        String body = receiver.requests().get(0).body();
        assertEquals(event, EventJson.read(body.getBytes(StandardCharsets.UTF_8), PipelineFailed.class));
        com.fasterxml.jackson.databind.JsonNode trigger = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body)
                .path("trigger");
        assertEquals(12, trigger.at("/definition/files").size(), "all the watcher listed, not the card's 10");
        assertEquals("team/app", trigger.at("/dependents/0").asText());
    }

    @Test
    void theIdStaysTheSameForEveryAttemptWhileTheTimestampAndSignatureAreTheAttempts() {
        receiver.reply(WebhookReceiver.Reply.status(503), WebhookReceiver.Reply.status(204));
        PipelineFailed event = SampleEvents.pipelineFailed();
        JsonWebhook webhook = webhook(receiver.url("/hook"), Optional.of(WHSEC));
        assertThrows(DeliveryException.class, () -> webhook.notify(event));
        now.set(now.get().plusSeconds(7));
        webhook.notify(event);

        List<WebhookReceiver.Request> attempts = receiver.requests("/hook");
        assertEquals(attempts.get(0).header("webhook-id"), attempts.get(1).header("webhook-id"));
        assertEquals(attempts.get(0).body(), attempts.get(1).body());
        long first = Long.parseLong(attempts.get(0).header("webhook-timestamp"));
        assertEquals(first + 7, Long.parseLong(attempts.get(1).header("webhook-timestamp")));
        assertFalse(attempts.get(0).header("webhook-signature").equals(attempts.get(1).header("webhook-signature")));
    }

    @Test
    void aWhsecSecretSignsAsTheStandardWebhooksReferenceLibraryVerifies() {
        PipelineFailed event = SampleEvents.pipelineFailed();
        webhook(receiver.url("/hook"), Optional.of(WHSEC)).notify(event);

        WebhookReceiver.Request request = receiver.requests().get(0);
        String signature = request.header("webhook-signature");
        assertTrue(signature.matches("v1,[A-Za-z0-9+/]{43}="), signature);
        byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.empty(), StandardWebhooksVerifier.rejection(WHSEC, body, headers(request)));
        assertEquals(Optional.of("No matching signature found"), StandardWebhooksVerifier.rejection(
                "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", body, headers(request)), "another secret");
        byte[] changed = (request.body() + " ").getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.of("No matching signature found"),
                StandardWebhooksVerifier.rejection(WHSEC, changed, headers(request)), "another body");
    }

    @Test
    void aPlainSecretIsTheKeysUtf8BytesAsTheLibraryReadsARawKey() {
        webhook(receiver.url("/hook"), Optional.of(PLAIN)).notify(SampleEvents.imagePublished());

        WebhookReceiver.Request request = receiver.requests().get(0);
        byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.empty(), StandardWebhooksVerifier.rejection(PLAIN, body, headers(request)));
        assertEquals(Optional.of("No matching signature found"),
                StandardWebhooksVerifier.rejection(PLAIN + "x", body, headers(request)));
    }

    @Test
    void severalSecretsGiveOneSignatureEachSoEitherKeyVerifiesDuringARotation() {
        String old = "old-" + PLAIN;
        webhook(receiver.url("/hook"), Optional.of(WHSEC + "\n" + old + "\n")).notify(SampleEvents.imagePublished());

        WebhookReceiver.Request request = receiver.requests().get(0);
        assertEquals(2, request.header("webhook-signature").split(" ").length);
        byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.empty(), StandardWebhooksVerifier.rejection(WHSEC, body, headers(request)));
        assertEquals(Optional.empty(), StandardWebhooksVerifier.rejection(old, body, headers(request)));
    }

    @Test
    void theShellAndOpensslReceiverOfTheDocsVerifiesBothKindsOfSecret(@TempDir Path dir) throws Exception {
        webhook(receiver.url("/hook"), Optional.of(WHSEC + " " + PLAIN)).notify(SampleEvents.imagePublished());
        WebhookReceiver.Request request = receiver.requests().get(0);
        Path body = Files.writeString(dir.resolve("body.json"), request.body());

        assertEquals("valid", opensslCheck(WHSEC, request, body));
        assertEquals("valid", opensslCheck(PLAIN, request, body));
        assertEquals("no matching signature", opensslCheck(PLAIN + "x", request, body));
    }

    /** Runs src/test/shell/verify-webhook.sh (the openssl example of docs/notifications.md) and returns its verdict. */
    private static String opensslCheck(String secret, WebhookReceiver.Request request, Path body) throws Exception {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder("sh", module.resolve("src/test/shell/verify-webhook.sh").toString(),
                body.toString()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("SECRET", secret, "WEBHOOK_ID", request.header("webhook-id"),
                "WEBHOOK_TIMESTAMP", request.header("webhook-timestamp"),
                "WEBHOOK_SIGNATURE", request.header("webhook-signature")));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "verify-webhook.sh did not finish");
        return output;
    }

    @Test
    void aStaleTimestampIsRejectedByTheReceiverSoReplaysAreNot() {
        now.set(Instant.now().minus(Duration.ofMinutes(10)));
        webhook(receiver.url("/hook"), Optional.of(WHSEC)).notify(SampleEvents.imagePublished());

        WebhookReceiver.Request request = receiver.requests().get(0);
        assertEquals(Optional.of("Message timestamp too old"), StandardWebhooksVerifier.rejection(WHSEC,
                request.body().getBytes(StandardCharsets.UTF_8), headers(request)));
    }

    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedSignatureIsStillSentKeyedWithTheFirstSecretAsWritten() {
        webhook(receiver.url("/hook"), Optional.of(PLAIN + " old-" + PLAIN)).notify(SampleEvents.pipelineFailed());

        WebhookReceiver.Request request = receiver.requests().get(0);
        String signature = request.header("X-Freshen-Signature");
        byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
        assertTrue(signature.matches("sha256=[0-9a-f]{64}"), signature);
        assertTrue(WebhookSignature.verify(PLAIN, body, signature));
        assertFalse(WebhookSignature.verify("another secret", body, signature));
        assertFalse(WebhookSignature.verify(PLAIN, (request.body() + " ").getBytes(StandardCharsets.UTF_8), signature));
    }

    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedSignatureIsTheStandardHmacSha256OfTheBody() {
        // RFC 4231 test case 2
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                WebhookSignature.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anySuccessfulStatusIsDeliveredAndOthersAreFailuresThatDoNotRevealTheUrl() {
        receiver.reply(WebhookReceiver.Reply.status(204), WebhookReceiver.Reply.status(500));
        JsonWebhook webhook = webhook(receiver.url("/hook/s3cret"), Optional.empty());
        webhook.notify(SampleEvents.pipelineFailed());
        var e = assertThrows(DeliveryException.class, () -> webhook.notify(SampleEvents.pipelineFailed()));
        assertEquals("webhook answered HTTP 500", e.getMessage());
        assertTrue(e.retryable());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    private static Map<String, String> headers(WebhookReceiver.Request request) {
        return Map.of("webhook-id", request.header("webhook-id"), "webhook-timestamp",
                request.header("webhook-timestamp"), "webhook-signature", request.header("webhook-signature"));
    }

    private JsonWebhook webhook(URI url, Optional<String> secret) {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        return new JsonWebhook(new JsonPost(HttpClient.newHttpClient(), url, Duration.ofSeconds(5), "webhook", clock),
                secret, clock);
    }
}
