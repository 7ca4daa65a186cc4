package dev.freshen.registry;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.retry.StopRequested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docker Hub's pull budget ({@code ratelimit-limit} / {@code ratelimit-remaining}) played by a scripted server that
 * counts manifest GETs down. The client's waits go to a recorder that moves a fake clock, so nothing waits for real.
 */
class RateLimitPacingIT {

    private static final byte[] BODY = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final Digest DIGEST = Digest.sha256Of(BODY);

    /** A clock that stands still until a recorded wait moves it. */
    private final FakeTime time = new FakeTime();
    private final RegistrySettings settings = RegistrySettings.defaults()
            .withRetries(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofSeconds(30)));

    @Test
    void aLowBudgetSpacesManifestGetsSoThatTheRestLastsTheWindow() {
        try (ScriptedServer server = hub(12, 100, 60)) {
            RegistryClient client = new RegistryClient(settings, CredentialsProvider.NONE, time.clock, time);

            for (int i = 0; i < 4; i++) {
                assertEquals(DIGEST, client.manifest(ref(server, "library/alpine:3")).orElseThrow().digest());
            }

            // replies said 11, 10, 9, 8 left of 100 per 60 s: each next GET waits 60 s / what the last reply said
            assertEquals(List.of(Duration.ofMillis(5454), Duration.ofSeconds(6), Duration.ofMillis(6666)), time.waits);
            assertEquals(4, server.received().size());
        }
    }

    @Test
    void dockerHubsSixHourWindowIsBoundedByMaxBackoff() {
        try (ScriptedServer server = hub(3, 100, 21600)) {
            RegistryClient client = new RegistryClient(settings, CredentialsProvider.NONE, time.clock, time);

            for (int i = 0; i < 3; i++) {
                client.manifest(ref(server, "library/alpine:3"));
            }

            assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(30)), time.waits);
        }
    }

    @Test
    void aHighBudgetCausesNoWaits() {
        try (ScriptedServer server = hub(76, 100, 21600)) {
            RegistryClient client = new RegistryClient(settings, CredentialsProvider.NONE, time.clock, time);

            for (int i = 0; i < 5; i++) {
                client.manifest(ref(server, "library/alpine:3"));
            }

            assertEquals(List.of(), time.waits);
            assertEquals(5, server.received().size());
        }
    }

    @Test
    void headsAreNotPacedAndTheirHeadersCountToo() {
        try (ScriptedServer server = hub(5, 100, 60)) {
            RegistryClient client = new RegistryClient(settings, CredentialsProvider.NONE, time.clock, time);

            assertEquals(Optional.of(DIGEST), client.manifestDigest(ref(server, "library/alpine:3")));
            assertEquals(Optional.of(DIGEST), client.manifestDigest(ref(server, "library/alpine:3")));
            assertEquals(List.of(), time.waits, "HEADs are free on Docker Hub");

            client.manifest(ref(server, "library/alpine:3"));
            assertEquals(List.of(Duration.ofSeconds(12)), time.waits, "the HEADs' 5 of 100 left paced the GET");
        }
    }

    @Test
    void aTooManyRequestsStillGoesThroughTheRetriesWithRetryAfter() {
        AtomicInteger gets = new AtomicInteger();
        try (ScriptedServer server = ScriptedServer.start((n, request) -> gets.incrementAndGet() == 1
                ? ScriptedServer.Reply.of(429).header("Retry-After", "1")
                        .header("ratelimit-limit", "100;w=21600").header("ratelimit-remaining", "0;w=21600")
                : ScriptedServer.Reply.of(200).header("Content-Type", MediaTypes.OCI_MANIFEST).body(BODY)
                        .header("ratelimit-limit", "100;w=21600").header("ratelimit-remaining", "100;w=21600"))) {
            RegistryClient client = new RegistryClient(settings, CredentialsProvider.NONE, time.clock, time);

            assertEquals(DIGEST, client.manifest(ref(server, "library/alpine:3")).orElseThrow().digest());

            assertEquals(2, server.received().size());
            long waitedMillis = (server.received().get(1).nanos() - server.received().get(0).nanos()) / 1_000_000;
            assertTrue(waitedMillis >= 950, "the retry waited " + waitedMillis + " ms for Retry-After: 1");
            assertEquals(List.of(Duration.ofSeconds(30)), time.waits, "nothing left: paced at most max-backoff too");
        }
    }

    @Test
    void anInterruptWhilePacedIsAStopRequest() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (ScriptedServer server = hub(1, 100, 60)) {
            RegistryClient client = new RegistryClient(settings, CredentialsProvider.NONE, time.clock, duration -> {
                throw new InterruptedException();
            });
            client.manifest(ref(server, "library/alpine:3"));
            Thread caller = new Thread(() -> {
                try {
                    client.manifest(ref(server, "library/alpine:3"));
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            caller.start();
            caller.join(10_000);

            assertInstanceOf(StopRequested.class, thrown.get());
            assertEquals(1, server.received().size(), "the paced request was not sent");
        }
    }

    /** A registry with {@code remaining} manifest GETs left of {@code limit} per {@code window} seconds. */
    private static ScriptedServer hub(int remaining, int limit, int window) {
        AtomicInteger left = new AtomicInteger(remaining);
        return ScriptedServer.start((n, request) -> {
            int now = request.method().equals("GET") ? left.decrementAndGet() : left.get();
            return ScriptedServer.Reply.of(200).header("Content-Type", MediaTypes.OCI_MANIFEST)
                    .header("Docker-Content-Digest", DIGEST.toString()).body(BODY)
                    .header("ratelimit-limit", limit + ";w=" + window)
                    .header("ratelimit-remaining", Math.max(now, 0) + ";w=" + window)
                    .header("docker-ratelimit-source", "203.0.113.7");
        });
    }

    private static ImageReference ref(ScriptedServer server, String rest) {
        return ImageReference.parse(server.host() + "/" + rest);
    }
}
