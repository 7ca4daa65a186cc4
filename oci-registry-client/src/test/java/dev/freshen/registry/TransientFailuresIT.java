package dev.freshen.registry;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.retry.StopRequested;
import dev.freshen.testing.Ports;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a real registry cannot be made to do on demand (429, 503, hanging, redirecting, serving wrong bytes), played by
 * a scripted HTTP server on 127.0.0.1. Backoff is 1ms so only an honoured Retry-After takes time.
 */
class TransientFailuresIT {

    private static final Digest DIGEST = Digest.sha256Of("manifest".getBytes(StandardCharsets.UTF_8));
    private final RegistrySettings fast = RegistrySettings.defaults().withRetries(3, Duration.ofMillis(1));

    @Test
    void tooManyRequestsWaitsForRetryAfterThenSucceeds() {
        try (ScriptedServer server = ScriptedServer.start((n, request) -> n == 1
                ? ScriptedServer.Reply.of(429).header("Retry-After", "1")
                : ScriptedServer.Reply.of(200).header("Docker-Content-Digest", DIGEST.toString()))) {

            assertEquals(Optional.of(DIGEST), new RegistryClient(fast).manifestDigest(ref(server, "a/b:1")));

            List<ScriptedServer.Received> received = server.received();
            assertEquals(2, received.size());
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(received.get(1).nanos() - received.get(0).nanos());
            assertTrue(waitedMillis >= 950, "waited " + waitedMillis + " ms for Retry-After: 1");
        }
    }

    @Test
    void unavailableForeverIsTransientAfterMaxAttempts() {
        try (ScriptedServer server = ScriptedServer.start((n, request) -> ScriptedServer.Reply.of(503)
                .body("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"maintenance\"}]}".getBytes(StandardCharsets.UTF_8)))) {

            RegistryException e = assertThrows(RegistryException.class,
                    () -> new RegistryClient(fast).manifest(ref(server, "a/b:1")));

            assertTrue(e.isTransient());
            assertEquals(503, e.status());
            assertEquals("UNAVAILABLE", e.code());
            assertTrue(e.getMessage().contains("3 attempts") && e.getMessage().contains("maintenance"), e.getMessage());
            assertEquals(3, server.received().size());
        }
    }

    @Test
    void unreachableRegistryIsTransientAfterMaxAttempts() {
        ImageReference nowhere = ImageReference.parse("127.0.0.1:" + Ports.free() + "/a/b:1");

        RegistryException e = assertThrows(RegistryException.class, () -> new RegistryClient(fast).manifestDigest(nowhere));

        assertTrue(e.isTransient());
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
    }

    @Test
    void aRetryAfterLongerThanMaxBackoffEndsTheRetriesAtOnce() {
        try (ScriptedServer server = ScriptedServer.start((n, request) -> ScriptedServer.Reply.of(429)
                .header("Retry-After", "3600"))) {
            RegistryClient client = new RegistryClient(fast.withRetries(new RetryPolicy(3, Duration.ofMillis(1),
                    Duration.ofSeconds(30))));

            RegistryException e = assertThrows(RegistryException.class, () -> client.manifestDigest(ref(server, "a/b:1")));

            assertTrue(e.isTransient());
            assertEquals(429, e.status());
            assertTrue(e.getMessage().endsWith("failed: HTTP 429 (the registry asked to wait 1 h, longer than max-backoff "
                    + "30 s; 1 attempt)"), e.getMessage());
            assertEquals(1, server.received().size(), "not asked again before the registry said");
        }
    }

    @Test
    void anInterruptWhileWaitingToRetryStopsTheRequestAndIsNoRegistryFailure() throws Exception {
        RegistryClient patient = new RegistryClient(fast.withRetries(new RetryPolicy(3, Duration.ofSeconds(30),
                Duration.ofSeconds(30))));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (ScriptedServer server = ScriptedServer.start((n, request) -> ScriptedServer.Reply.of(503))) {
            Thread caller = new Thread(() -> {
                try {
                    patient.manifestDigest(ref(server, "a/b:1"));
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            caller.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.received().size() == 1
                    && caller.getState() == Thread.State.TIMED_WAITING);
            caller.interrupt();
            caller.join(10_000);

            assertInstanceOf(StopRequested.class, thrown.get());
            assertEquals(1, server.received().size());
        }
    }

    @Test
    void aRequestThatTimesOutIsRetried() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RegistrySettings impatient = new RegistrySettings(fast.insecureHosts(), fast.credentials(), 4,
                Duration.ofMillis(300), fast.retries(), "linux/amd64");
        try (ScriptedServer server = ScriptedServer.start((n, request) -> {
            if (n == 1) {
                release.await(10, TimeUnit.SECONDS); // hangs past the client's timeout
            }
            return ScriptedServer.Reply.of(200).header("Docker-Content-Digest", DIGEST.toString());
        })) {
            try {
                assertEquals(Optional.of(DIGEST), new RegistryClient(impatient).manifestDigest(ref(server, "a/b:1")));
                assertEquals(2, server.received().size());
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void clientErrorsAreNotRetriedAndCarryTheOciError() {
        try (ScriptedServer server = ScriptedServer.start((n, request) -> ScriptedServer.Reply.of(400)
                .body("{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"manifest invalid\",\"detail\":{}}]}"
                        .getBytes(StandardCharsets.UTF_8)))) {
            Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8));

            RegistryException e = assertThrows(RegistryException.class,
                    () -> new RegistryClient(fast).putManifest(server.host(), "a/b", "1", manifest));

            assertFalse(e.isTransient());
            assertEquals(400, e.status());
            assertEquals("MANIFEST_INVALID", e.code());
            assertTrue(e.getMessage().contains("PUT http://" + server.host() + "/v2/a/b/manifests/1")
                    && e.getMessage().contains("MANIFEST_INVALID: manifest invalid"), e.getMessage());
            assertEquals(1, server.received().size());
        }
    }

    @Test
    void withoutADigestHeaderTheDigestIsThatOfTheBody() {
        byte[] body = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}"
                .getBytes(StandardCharsets.UTF_8);
        try (ScriptedServer server = ScriptedServer.start((n, request) -> ScriptedServer.Reply.of(200)
                .header("Content-Type", "application/json").body(body))) {

            assertEquals(Optional.of(Digest.sha256Of(body)), new RegistryClient(fast).manifestDigest(ref(server, "a/b:1")));
            assertEquals(List.of("HEAD", "GET"), server.received().stream().map(ScriptedServer.Received::method).toList());
            assertEquals(MediaTypes.OCI_MANIFEST, new RegistryClient(fast).manifest(ref(server, "a/b:1")).orElseThrow().mediaType());
        }
    }

    @Test
    void aManifestPinnedByDigestMustHaveThatDigest() {
        try (ScriptedServer server = ScriptedServer.start((n, request) -> ScriptedServer.Reply.of(200)
                .header("Content-Type", MediaTypes.OCI_MANIFEST).body("{\"tampered\":true}".getBytes(StandardCharsets.UTF_8)))) {

            RegistryException e = assertThrows(RegistryException.class,
                    () -> new RegistryClient(fast).manifest(ref(server, "a/b@" + DIGEST)));
            assertEquals("DIGEST_INVALID", e.code());
            assertFalse(e.isTransient());
        }
    }

    @Test
    void blobRedirectsAreFollowedWithoutCredentialsAndTheContentIsVerified() {
        byte[] content = "layer bytes".getBytes(StandardCharsets.UTF_8);
        byte[] served = content.clone();
        try (ScriptedServer storage = ScriptedServer.start((n, request) -> ScriptedServer.Reply.of(200).body(served));
             ScriptedServer registry = ScriptedServer.start((n, request) -> request.authorization() == null
                     ? ScriptedServer.Reply.of(401).header("WWW-Authenticate", "Basic realm=\"test\"")
                     : ScriptedServer.Reply.of(307).header("Location", "http://" + storage.host() + "/bucket/blob?X-Signature=abc"))) {
            RegistryClient client = new RegistryClient(fast.withCredentials(registry.host(), new Credentials("u", "p")));

            assertArrayEquals(content, client.blob(registry.host(), "a/b", Digest.sha256Of(content)));
            assertEquals("/bucket/blob?X-Signature=abc", storage.received().get(0).path());
            assertNull(storage.received().get(0).authorization(), "credentials stay with the registry");

            served[0] = 'L';
            RegistryException e = assertThrows(RegistryException.class,
                    () -> client.blob(registry.host(), "a/b", Digest.sha256Of(content)));
            assertEquals("DIGEST_INVALID", e.code());
            assertFalse(e.getMessage().contains("X-Signature"), e.getMessage());
        }
    }

    @Test
    void atMostMaxConcurrentRequestsGoToOneRegistryAtATime() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CyclicBarrier pairs = new CyclicBarrier(2); // each request waits for a second one to be in flight with it
        RegistrySettings two = new RegistrySettings(fast.insecureHosts(), fast.credentials(), 2, Duration.ofSeconds(10),
                RetryPolicy.once(), "linux/amd64");
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try (ScriptedServer server = ScriptedServer.start((n, request) -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                pairs.await(5, TimeUnit.SECONDS);
                return ScriptedServer.Reply.of(200).header("Docker-Content-Digest", DIGEST.toString());
            } finally {
                inFlight.decrementAndGet();
            }
        })) {
            RegistryClient client = new RegistryClient(two);
            List<CompletableFuture<Optional<Digest>>> calls = IntStream.range(0, 6)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> client.manifestDigest(ref(server, "a/b:" + i)), callers))
                    .toList();

            calls.forEach(call -> assertEquals(Optional.of(DIGEST), call.join()));
            assertEquals(2, most.get(), "two requests overlapped, never more");
            assertEquals(6, server.received().size());
        } finally {
            callers.shutdownNow();
        }
    }

    private static ImageReference ref(ScriptedServer server, String rest) {
        return ImageReference.parse(server.host() + "/" + rest);
    }
}
