package dev.freshen.events;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The change-aware trigger fields (parent, definition change, dependents) on the wire. */
class TriggerTest {

    private static final Instant AT = Instant.parse("2026-12-01T09:00:00Z");
    private static final Digest A = Digest.parse("sha256:" + "a".repeat(64));
    private static final ImageReference RUNTIME = ImageReference.parse("127.0.0.1:5000/dotnet/runtime:10.0");

    @Test
    void aParentPublishedTriggerWithDefinitionAndDependentsRoundTrips() {
        Trigger trigger = Trigger.parentPublished(new Trigger.Parent("base/runtime", "10.0-1.3.0", "b-0123456789abcdef01234567",
                        ImageReference.parse("127.0.0.1:5000/platform/dotnet:runtime-10.0").withDigest(A)))
                .withDefinition(new Trigger.DefinitionChange("sha256:" + "c".repeat(64), null,
                        List.of(new Trigger.FileChange("Dockerfile", Trigger.FileChange.MODIFIED)), 2,
                        List.of(new Trigger.Commit("0123456789abcdef0123456789abcdef01234567", "Ada", "Harden")), 0))
                .withDependents(List.of("team/app"));
        BaseImageUpdated event = new BaseImageUpdated("b-0123456789abcdef01234568", "base/aspnet", 1, AT,
                List.of(new BaseImage(RUNTIME, A, null)), "sha256:" + "c".repeat(64), trigger, "sha256:" + "c".repeat(64));

        String json = EventJson.writeString(event);
        assertTrue(json.contains("\"kind\":\"parent-published\""), json);
        assertTrue(json.contains("\"dependents\":[\"team/app\"]"), json);
        assertTrue(json.contains("\"definition\":\"sha256:"), json);
        assertFalse(json.contains("previousHash"), "absent fields are not written: " + json);
        BaseImageUpdated read = EventJson.read(json.getBytes(StandardCharsets.UTF_8), BaseImageUpdated.class);
        assertEquals(event, read);
        assertEquals("10.0-1.3.0", read.trigger().parent().version());
        assertEquals(2, read.trigger().definition().moreFiles());
    }

    @Test
    void aTriggerWithoutTheNewFieldsWritesNoneOfThem() {
        String json = EventJson.writeString(new ForceUpdateRequested("f-0123456789abcdef01234567", "base/runtime", 1, AT,
                "why", "api:ops"));
        assertFalse(json.contains("dependents"), json);
        ForceUpdateRequested read = EventJson.read(json.getBytes(StandardCharsets.UTF_8), ForceUpdateRequested.class);
        assertEquals(List.of(), read.trigger().dependents());
        assertNull(read.trigger().parent());
        assertNull(read.trigger().definition());
    }

    @Test
    void aForcedRunsTriggerNamesItsDependents() {
        ForceUpdateRequested forced = new ForceUpdateRequested("f-0123456789abcdef01234567", "base/runtime", 1, AT,
                "why", "api:ops", List.of("base/aspnet", "team/app"));
        assertEquals(Trigger.Kind.FORCED, forced.trigger().kind());
        assertEquals(List.of("base/aspnet", "team/app"), forced.trigger().dependents());
        assertEquals(forced, EventJson.read(EventJson.write(forced), ForceUpdateRequested.class));
    }

    @Test
    void anEventWithoutDefinitionReadsAsBefore() {
        String json = """
                {"runId":"b-0123456789abcdef01234567","imageId":"base/runtime","attempt":1,"occurredAt":"2026-12-01T09:00:00Z",
                 "baseImages":[{"reference":"127.0.0.1:5000/dotnet/runtime:10.0","digest":"%s"}],"contentHash":"sha256:abc"}
                """.formatted(A);
        BaseImageUpdated read = EventJson.read(json.getBytes(StandardCharsets.UTF_8), BaseImageUpdated.class);
        assertNull(read.definition());
        assertEquals(Trigger.baseImageUpdated(), read.trigger());
    }

    @Test
    void fileChangesAreIdsAndCommitSubjectsAreCut() {
        assertThrows(IllegalArgumentException.class, () -> new Trigger.FileChange("Dockerfile", "Changed!"));
        assertThrows(IllegalArgumentException.class, () -> new Trigger.FileChange(null, "added"));
        String subject = new Trigger.Commit("abc", "Ada", "x".repeat(300)).subject();
        assertEquals(Trigger.Commit.MAX_SUBJECT, subject.length());
        assertTrue(subject.endsWith("…"));
        assertThrows(IllegalArgumentException.class, () -> Trigger.parentPublished(null));
    }
}
