package dev.freshen.builder;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.EventJson;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.Trigger;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuildRequestTest {

    private static final String UPDATE = """
            {"runId":"b-0123456789abcdef01234567","imageId":"net10/runtime","attempt":1,
             "occurredAt":"2026-12-01T09:00:00Z","contentHash":"sha256:abc",
             "baseImages":[{"reference":"mcr.microsoft.com/dotnet/runtime:10.0",
               "digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222",
               "signatures":["cosign"]}],
             "trigger":{"kind":"parent-published","parent":{"imageId":"net10/runtime-deps","version":"1.4.0"}}}
            """;

    @Test
    void aBaseUpdateCarriesTheWatchersTriggerAndBasesAsTheyCame() {
        BaseImageUpdated event = EventJson.read(UPDATE.getBytes(StandardCharsets.UTF_8), BaseImageUpdated.class);
        BuildRequest request = BuildRequest.of(event);
        assertEquals("parent-published", request.trigger().kind().id());
        assertEquals(event.trigger(), request.trigger(), "the trigger with the fields the builder does not know");
        assertEquals(event.baseImages(), request.baseImages());
        assertTrue(request.baseImages().get(0).unknownFields().containsKey("signatures"));
    }

    @Test
    void aBaseUpdateCarriesTheDefinitionTheRunWasStartedForAndAnOlderOneNone() {
        String hash = "sha256:" + "d".repeat(64);
        String withDefinition = UPDATE.replace("\"contentHash\":\"sha256:abc\",", "\"contentHash\":\"" + hash
                + "\",\"definition\":\"" + hash + "\",");
        assertEquals(hash, BuildRequest.of(EventJson.read(withDefinition.getBytes(StandardCharsets.UTF_8),
                BaseImageUpdated.class)).definition());
        assertNull(BuildRequest.of(EventJson.read(UPDATE.getBytes(StandardCharsets.UTF_8), BaseImageUpdated.class))
                .definition(), "written before the field existed: nothing to check");
        assertNull(BuildRequest.of(new ForceUpdateRequested("f-0123456789abcdef01234567", "net10/runtime", 1,
                Instant.now(), "why", "alice")).definition(), "a forced run builds what the folder holds");
    }

    @Test
    void aBaseUpdateWithoutTriggerIsABaseImageUpdate() {
        String older = UPDATE.replaceFirst(",\\s*\"trigger\":\\{.*}}}", "}");
        assertEquals(Trigger.baseImageUpdated(),
                BuildRequest.of(EventJson.read(older.getBytes(StandardCharsets.UTF_8), BaseImageUpdated.class)).trigger());
    }

    @Test
    void aForcedRunIsForcedWithItsReason() {
        var event = new ForceUpdateRequested("f-0123456789abcdef01234567", "net10/runtime", 1, Instant.now(), "why", "alice");
        assertEquals(Trigger.forced("why", "alice"), BuildRequest.of(event).trigger());
    }
}
