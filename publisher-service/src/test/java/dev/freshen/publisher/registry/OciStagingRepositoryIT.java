package dev.freshen.publisher.registry;

import com.sun.net.httpserver.HttpServer;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.publisher.CandidateImages;
import dev.freshen.publisher.StagingRepository;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deleting candidates through the distribution API: the real CNCF registry, and a registry with deletes off. */
class OciStagingRepositoryIT {

    @Test
    void aCandidateIsDeletedByDigestWithEveryTagOnItInItsRepository() {
        LocalRegistry registry = LocalRegistry.shared();
        RegistryClient client = new RegistryClient(RegistrySettings.defaults());
        String repository = "platform/oci-staging-" + SampleEvents.runId();
        String runId = SampleEvents.runId();
        ImageReference candidate = CandidateImages.push(client, registry.host(), repository, "candidate-" + runId, runId);
        StagingRepository staging = new OciStagingRepository(client, registry.host(), repository);

        assertFalse(staging.deletesTagOnly());
        assertEquals(List.of("candidate-" + runId), staging.tags());
        assertEquals(Optional.of(candidate.digest()), staging.digestOf("candidate-" + runId));
        assertTrue(staging.delete("candidate-" + runId, candidate.digest()));
        assertEquals(Optional.empty(), staging.digestOf("candidate-" + runId));
        assertFalse(staging.delete("candidate-" + runId, candidate.digest()), "gone already");
    }

    /** The CNCF registry without storage.delete.enabled answers a manifest DELETE so (HTTP 405, code UNSUPPORTED). */
    @Test
    void aRegistryWithDeletesOffIsSaidSoWithTheSettingToTurnOn() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"The operation is unsupported.\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("DELETE") ? 405 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String host = "127.0.0.1:" + server.getAddress().getPort();
            StagingRepository staging = new OciStagingRepository(new RegistryClient(RegistrySettings.defaults()), host,
                    "platform/app-staging");
            var refused = assertThrows(StagingRepository.DeletesRefused.class,
                    () -> staging.delete("candidate-run-1", Digest.parse("sha256:" + "c".repeat(64))));
            assertTrue(refused.setting().contains("storage.delete.enabled: true"), refused.setting());
            assertTrue(refused.getMessage().contains(host), refused.getMessage());
        } finally {
            server.stop(0);
        }
    }
}
