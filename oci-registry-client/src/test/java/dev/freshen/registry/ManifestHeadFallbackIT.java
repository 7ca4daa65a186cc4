package dev.freshen.registry;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registries that do not answer a manifest HEAD (405, 404 for HEAD only, 400 as some Harbor versions, 501 as some
 * proxies) while GET serves the manifest, played by a scripted server on 127.0.0.1.
 */
class ManifestHeadFallbackIT {

    /** Bytes that are not canonical JSON: the digest must be that of these exact bytes. */
    private static final byte[] BODY = "{ \"schemaVersion\": 2,\n  \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\" }\n"
            .getBytes(StandardCharsets.UTF_8);
    private static final Digest OTHER = Digest.sha256Of("something else".getBytes(StandardCharsets.UTF_8));

    private final RegistrySettings fast = RegistrySettings.defaults().withRetries(3, Duration.ofMillis(1));

    @ParameterizedTest
    @ValueSource(ints = {405, 404, 400, 501})
    void aRefusedHeadIsFollowedByAGetWhoseBodyGivesTheDigestAndLaterCallsSendNoHead(int headStatus) {
        try (ScriptedServer server = ScriptedServer.start((n, request) -> request.method().equals("HEAD")
                ? ScriptedServer.Reply.of(headStatus)
                : ScriptedServer.Reply.of(200).header("Content-Type", MediaTypes.OCI_MANIFEST).body(BODY))) {
            RegistryClient client = new RegistryClient(fast);

            assertEquals(Optional.of(Digest.sha256Of(BODY)), client.manifestDigest(ref(server, "a/b:1")));
            assertEquals(List.of("HEAD", "GET"), methods(server), "one HEAD, no retries of it, then one GET");
            assertTrue(client.headUnusable(server.host()));

            assertEquals(Optional.of(Digest.sha256Of(BODY)), client.manifestDigest(ref(server, "a/b:2")));
            assertEquals(List.of("HEAD", "GET", "GET"), methods(server), "the second call goes straight to GET");
            assertEquals("/v2/a/b/manifests/2", server.received().get(2).path());
        }
    }

    @Test
    void aHeadAndAGetOf404IsATagThatDoesNotExistAndMarksNothing() {
        try (ScriptedServer server = ScriptedServer.start((n, request) -> ScriptedServer.Reply.of(404)
                .body("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"
                        .getBytes(StandardCharsets.UTF_8)))) {
            RegistryClient client = new RegistryClient(fast);

            assertEquals(Optional.empty(), client.manifestDigest(ref(server, "a/b:missing")));
            assertEquals(Optional.empty(), client.manifestDigest(ref(server, "a/b:missing")));

            assertFalse(client.headUnusable(server.host()));
            assertEquals(List.of("HEAD", "GET", "HEAD", "GET"), methods(server), "HEAD is still tried");
        }
    }

    @Test
    void aHeadWithTheDigestHeaderIsAllItTakes() {
        try (ScriptedServer server = ScriptedServer.start((n, request) -> ScriptedServer.Reply.of(200)
                .header("Docker-Content-Digest", OTHER.toString()).body(BODY))) {
            RegistryClient client = new RegistryClient(fast);

            assertEquals(Optional.of(OTHER), client.manifestDigest(ref(server, "a/b:1")));
            assertEquals(Optional.of(OTHER), client.manifestDigest(ref(server, "a/b:2")));

            assertEquals(List.of("HEAD", "HEAD"), methods(server));
            assertFalse(client.headUnusable(server.host()));
        }
    }

    @Test
    void aRefusedHeadOfADigestIsCheckedAgainstTheBody() {
        try (ScriptedServer server = ScriptedServer.start((n, request) -> request.method().equals("HEAD")
                ? ScriptedServer.Reply.of(405)
                : ScriptedServer.Reply.of(200).header("Content-Type", MediaTypes.OCI_MANIFEST).body(BODY))) {
            RegistryClient client = new RegistryClient(fast);

            assertEquals(Optional.of(Digest.sha256Of(BODY)), client.manifestDigest(ref(server, "a/b@" + Digest.sha256Of(BODY))));
            RegistryException e = assertThrows(RegistryException.class,
                    () -> client.manifestDigest(ref(server, "a/b@" + OTHER)));
            assertEquals("DIGEST_INVALID", e.code());
        }
    }

    @Test
    void whenTheGetFailsTooItsFailureIsReportedAndTheHostIsNotMarked() {
        try (ScriptedServer server = ScriptedServer.start((n, request) -> ScriptedServer.Reply.of(400)
                .body("{\"errors\":[{\"code\":\"NAME_INVALID\",\"message\":\"invalid repository name\"}]}"
                        .getBytes(StandardCharsets.UTF_8)))) {
            RegistryClient client = new RegistryClient(fast);

            RegistryException e = assertThrows(RegistryException.class, () -> client.manifestDigest(ref(server, "a/b:1")));

            assertEquals(400, e.status());
            assertTrue(e.getMessage().startsWith("GET http://" + server.host() + "/v2/a/b/manifests/1 failed"),
                    e.getMessage());
            assertFalse(client.headUnusable(server.host()));
        }
    }

    private static List<String> methods(ScriptedServer server) {
        return server.received().stream().map(ScriptedServer.Received::method).toList();
    }

    private static ImageReference ref(ScriptedServer server, String rest) {
        return ImageReference.parse(server.host() + "/" + rest);
    }
}
