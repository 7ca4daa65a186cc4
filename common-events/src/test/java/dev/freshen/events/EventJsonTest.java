package dev.freshen.events;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventJsonTest {

    static final Digest OLD = Digest.parse("sha256:" + "1".repeat(64));
    static final Digest NEW = Digest.parse("sha256:" + "2".repeat(64));
    static final Digest CANDIDATE = Digest.parse("sha256:" + "3".repeat(64));
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final BaseImage BASE = new BaseImage(ImageReference.parse("mcr.microsoft.com/dotnet/runtime:10.0"), NEW, OLD);
    static final Trigger TRIGGER = Trigger.baseImageUpdated();

    static List<FreshenEvent> oneOfEach() {
        ImageReference candidate = ImageReference.parse("127.0.0.1:5000/platform/net10-runtime@" + CANDIDATE);
        var timings = List.of(new StageTiming(Stage.BUILD, T0, T0.plusSeconds(40)));
        return List.of(
                new BaseImageUpdated("b-0123456789abcdef01234567", "net10/runtime", 1, T0, List.of(BASE), "sha256:abc"),
                new ForceUpdateRequested(RunIds.forced(), "net10/runtime", 1, T0, "Dockerfile changed", "alice"),
                new ImageBuilt("run-1", "net10/runtime", 1, T0, TRIGGER, List.of(BASE), candidate, List.of("warn"), timings),
                new ImageVerified("run-1", "net10/runtime", 2, T0, TRIGGER, List.of(BASE), candidate,
                        List.of(new CheckResult("user: non-root", true, "uid 1654")), timings),
                new ImagePublished("run-1", "net10/runtime", 1, T0, TRIGGER, List.of(BASE),
                        ImageReference.parse("127.0.0.1:5000/platform/net10-runtime:10.0-noble-1.1.0@" + CANDIDATE), "1.1.0",
                        List.of("10.0-noble-1.1.0", "10.0", "latest"), timings),
                new PipelineFailed("run-1", "net10/runtime", 1, T0, Stage.TEST, FailureKind.PERMANENT,
                        "POST /MyService answered 500, expected 200", "log line 1\nlog line 2", TRIGGER),
                watchChanged(),
                new RollbackRequested(RunIds.rollback(), "net10/runtime", 1, T0, "10.0-noble-1.1.0", "10.0-noble-1.0.0",
                        "1.1.0 breaks TLS", "api:ops"),
                rolledBack(),
                new ChecksFailed(RunIds.forCheckStreak("net10/runtime", T0), "net10/runtime", 1, T0.plusSeconds(1800), T0,
                        3, "registry-auth-failed", "the registry mcr.microsoft.com rejected the credentials (401)"),
                new ChecksRecovered(RunIds.forCheckStreak("net10/runtime", T0), "net10/runtime", 1, T0.plusSeconds(3600),
                        T0, T0.plusSeconds(3600), 4));
    }

    @Test
    void aStreakOfFailedChecksIsNoRunAndBothOfItsEventsShareItsId() {
        String id = RunIds.forCheckStreak("net10/runtime", T0);
        assertTrue(id.matches("c-[0-9a-f]{24}"), id);
        assertEquals(id, RunIds.forCheckStreak("net10/runtime", T0), "the same streak, the same id");
        assertTrue(!id.equals(RunIds.forCheckStreak("net10/runtime", T0.plusSeconds(1))), "the next streak, another id");
        assertTrue(!id.equals(RunIds.forCheckStreak("net10/sdk", T0)));
        assertTrue(!EventType.CHECKS_FAILED.isRunEvent() && !EventType.CHECKS_RECOVERED.isRunEvent());
        assertEquals("dev.freshen.checks-failed.v1", EventType.CHECKS_FAILED.cloudEventType());
        assertEquals("freshen.checks-recovered", EventType.CHECKS_RECOVERED.topic());
        assertThrows(IllegalArgumentException.class, () -> new ChecksFailed(id, "net10/runtime", 1, T0, T0, 0,
                "registry-error", "x"), "at least one failure");
        assertThrows(IllegalArgumentException.class, () -> new ChecksFailed(id, "net10/runtime", 1, T0, T0, 3,
                "Registry Error", "x"), "the code is an id");
        assertThrows(IllegalArgumentException.class, () -> new ChecksRecovered(id, "net10/runtime", 1, T0, T0, T0, 0),
                "at least one failed cycle");
    }

    static ImageRolledBack rolledBack() {
        return new ImageRolledBack("r-0123456789abcdef01234567", "net10/runtime", 1, T0,
                ImageReference.parse("127.0.0.1:5000/platform/net10-runtime:10.0-noble-1.1.0@" + NEW),
                ImageReference.parse("127.0.0.1:5000/platform/net10-runtime:10.0-noble-1.0.0@" + OLD),
                List.of("10.0", "latest"), "10.0-noble-1.1.0", "1.1.0 breaks TLS", "api:ops");
    }

    @Test
    void aRollbackIsNoRunAndSaysWhetherTheTagsNameAnOlderVersion() {
        ImageRolledBack back = rolledBack();
        assertTrue(RunIds.rollback().matches("r-[0-9a-f]{24}"));
        assertEquals(EventType.IMAGE_ROLLED_BACK, back.type());
        assertEquals("dev.freshen.image-rolled-back.v1", back.type().cloudEventType());
        assertTrue(!EventType.IMAGE_ROLLED_BACK.isRunEvent() && !EventType.ROLLBACK_REQUESTED.isRunEvent());
        assertTrue(back.rolledBack());
        ImageRolledBack forward = new ImageRolledBack(back.runId(), back.imageId(), 1, T0, back.to(),
                back.from(), back.tags(), "10.0-noble-1.1.0", "fixed", "api:ops");
        assertTrue(!forward.rolledBack(), "back to the newest version undoes the rollback");
        String json = EventJson.writeString(back);
        assertTrue(json.contains("\"to\":\"127.0.0.1:5000/platform/net10-runtime:10.0-noble-1.0.0@sha256:"), json);
        assertThrows(IllegalArgumentException.class, () -> new ImageRolledBack(back.runId(), back.imageId(), 1, T0,
                back.from(), back.to().withTag(null), back.tags(), "10.0-noble-1.1.0", null, "api:ops"),
                "to carries the version tag");
        assertThrows(IllegalArgumentException.class, () -> new RollbackRequested(RunIds.rollback(), "net10/runtime", 1,
                T0, null, " ", null, "api:ops"), "toVersion is required");
        assertEquals(Trigger.Kind.ROLLBACK, new RollbackRequested(RunIds.rollback(), "net10/runtime", 1, T0, null,
                "10.0-noble-1.0.0", "why", "api:ops").trigger().kind());
    }

    static ImageWatchChanged watchChanged() {
        List<ImageWatchChanged.Problem> problems = List.of(new ImageWatchChanged.Problem("descriptor-unknown-key",
                "unknown key 'notfy' at the top level: did you mean notify?", "Rename it to notify.",
                "net10/runtime/platform-image.yaml", "notfy", 12, 1));
        return new ImageWatchChanged(RunIds.forWatchChange("net10/runtime", WatchState.INVALID, problems, null),
                "net10/runtime", 1, T0, WatchState.INVALID, WatchState.WATCHED, problems,
                ImageReference.parse("127.0.0.1:5000/platform/net10-runtime:10.0-noble-1.1.0@" + CANDIDATE));
    }

    @Test
    void aWatchChangeHasADeterministicIdPerChangeAndAProblemTextWithItsPlace() {
        ImageWatchChanged changed = watchChanged();
        assertTrue(changed.runId().matches("w-[0-9a-f]{24}"), changed.runId());
        assertEquals(changed.runId(), watchChanged().runId(), "the same change has the same id");
        assertTrue(!changed.runId().equals(RunIds.forWatchChange("net10/runtime", WatchState.INVALID, changed.problems(),
                "w-000000000000000000000000")), "the same breakage after another change has another id");
        assertTrue(!changed.runId().equals(RunIds.forWatchChange("net10/runtime", WatchState.WATCHED, List.of(), null)));
        assertEquals("net10/runtime/platform-image.yaml line 12, column 1: unknown key 'notfy' at the top level: did you "
                + "mean notify?", changed.problems().get(0).text());
        String json = EventJson.writeString(changed);
        assertTrue(json.contains("\"state\":\"invalid\",\"previousState\":\"watched\""), json);
        assertTrue(json.contains("\"lastPublished\":\"127.0.0.1:5000/platform/net10-runtime:10.0-noble-1.1.0@sha256:"), json);
        assertEquals(EventType.IMAGE_WATCH_CHANGED, changed.type());
        assertTrue(!EventType.IMAGE_WATCH_CHANGED.isRunEvent() && EventType.PIPELINE_FAILED.isRunEvent());
        assertThrows(IllegalArgumentException.class, () -> new ImageWatchChanged("w-0123", "net10/runtime", 1, T0,
                WatchState.INVALID, null, List.of(), ImageReference.parse("127.0.0.1:5000/platform/x:1.0.0")),
                "lastPublished carries tag and digest");
    }

    @Test
    void everyEventRoundTrips() {
        for (FreshenEvent event : oneOfEach()) {
            byte[] json = EventJson.write(event);
            assertEquals(event, EventJson.read(json, event.type()), () -> new String(json, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFailureNamesItsCandidateOnlyWhenItHasOnePinnedByDigest() {
        PipelineFailed plain = new PipelineFailed("run-1", "net10/runtime", 1, Instant.parse("2026-01-01T00:00:00Z"),
                Stage.TEST, FailureKind.PERMANENT, "the app exited", null, Trigger.baseImageUpdated());
        assertTrue(!EventJson.writeString(plain).contains("candidate"), "absent, not null");
        ImageReference candidate = ImageReference.parse("127.0.0.1:5000/platform/app-staging@" + Digest.parse("sha256:" + "c".repeat(64)));
        PipelineFailed named = plain.withProblem("app-exited", "Fix the app").withCandidate(candidate);
        String json = EventJson.writeString(named);
        assertTrue(json.contains("\"candidate\":\"" + candidate + "\""), json);
        assertEquals(named, EventJson.read(json.getBytes(StandardCharsets.UTF_8), PipelineFailed.class));
        assertEquals("app-exited", named.code(), "withCandidate keeps the problem, withProblem the candidate");
        assertEquals(candidate, named.withProblem("app-exited", "x").candidate());
        assertThrows(IllegalArgumentException.class, () -> plain.withCandidate(candidate.withDigest(null).withTag("x")));
    }

    @Test
    void jsonUsesReadableValues() {
        String json = EventJson.writeString(oneOfEach().get(5));
        assertTrue(json.contains("\"stage\":\"test\""), json);
        assertTrue(json.contains("\"kind\":\"permanent\""), json);
        assertTrue(json.contains("\"occurredAt\":\"2026-11-27T10:00:00Z\""), json);
        assertTrue(json.contains("\"trigger\":{\"kind\":\"base-image-updated\"}"), json);
    }

    @Test
    void publishedCarriesFlatRegistryFieldsForSubscribers() {
        String json = EventJson.writeString(oneOfEach().get(4));
        assertTrue(json.contains("\"registry\":\"127.0.0.1:5000\""), json);
        assertTrue(json.contains("\"repository\":\"platform/net10-runtime\""), json);
        assertTrue(json.contains("\"digest\":\"" + CANDIDATE + "\""), json);
        assertTrue(json.contains("\"image\":\"127.0.0.1:5000/platform/net10-runtime:10.0-noble-1.1.0@" + CANDIDATE + "\""), json);
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = EventJson.writeString(oneOfEach().get(1)).replaceFirst("\\{", "{\"addedInV2\":{\"x\":1},");
        assertEquals(oneOfEach().get(1).imageId(), EventJson.read(bytes(json), ForceUpdateRequested.class).imageId());
    }

    @Test
    void missingRequiredFieldIsNamed() {
        String json = "{\"imageId\":\"net10/runtime\",\"attempt\":1,\"occurredAt\":\"2026-11-27T10:00:00Z\"}";
        var e = assertThrows(InvalidEventException.class, () -> EventJson.read(bytes(json), ForceUpdateRequested.class));
        assertEquals("invalid ForceUpdateRequested payload: ForceUpdateRequested: field 'runId' is required", e.getMessage());
    }

    @Test
    void malformedDigestIsNamedWithItsPath() {
        String json = EventJsonTest.validBuiltJson().replace(CANDIDATE.hex(), "xyz");
        var e = assertThrows(InvalidEventException.class, () -> EventJson.read(bytes(json), ImageBuilt.class));
        assertTrue(e.getMessage().startsWith("invalid ImageBuilt payload at 'candidate'"), e.getMessage());
        assertTrue(e.getMessage().contains("sha256 digest must have 64 hex characters, got 3"), e.getMessage());
    }

    @Test
    void unpinnedCandidateIsRejected() {
        String json = EventJsonTest.validBuiltJson().replace("@" + CANDIDATE, ":candidate");
        var e = assertThrows(InvalidEventException.class, () -> EventJson.read(bytes(json), ImageBuilt.class));
        assertTrue(e.getMessage().contains("field 'candidate' must be pinned by digest"), e.getMessage());
    }

    @Test
    void invalidImageIdAndRunIdAreRejected() {
        String escape = EventJsonTest.validBuiltJson().replace("\"net10/runtime\"", "\"../etc\"");
        var e = assertThrows(InvalidEventException.class, () -> EventJson.read(bytes(escape), ImageBuilt.class));
        assertTrue(e.getMessage().contains("may not contain '.' or '..' segments"), e.getMessage());
        String badRun = EventJsonTest.validBuiltJson().replace("\"run-1\"", "\"RUN 1\"");
        e = assertThrows(InvalidEventException.class, () -> EventJson.read(bytes(badRun), ImageBuilt.class));
        assertTrue(e.getMessage().contains("field 'runId' must be"), e.getMessage());
    }

    @Test
    void notJsonIsRejected() {
        var e = assertThrows(InvalidEventException.class, () -> EventJson.read(bytes("{oops"), ImageBuilt.class));
        assertTrue(e.getMessage().startsWith("invalid ImageBuilt payload: not JSON"), e.getMessage());
        assertThrows(InvalidEventException.class, () -> EventJson.read(new byte[0], ImageBuilt.class));
    }

    @Test
    void unknownEnumValueIsReadAsOtherAndWrittenBack() {
        String json = EventJson.writeString(oneOfEach().get(5)).replace("\"test\"", "\"deploy\"");
        PipelineFailed failed = EventJson.read(bytes(json), PipelineFailed.class);
        assertTrue(failed.stage().isOther());
        assertEquals("deploy", failed.stage().id());
        assertEquals(json, EventJson.writeString(failed));
    }

    @Test
    void valuesMadeInJavaWriteNoUnknownFieldNoise() {
        for (FreshenEvent event : oneOfEach()) {
            String json = EventJson.writeString(event);
            assertTrue(!json.contains("unknownFields") && !json.contains("{}") && !json.contains("null"), json);
        }
    }

    @Test
    void baseImageUpdatedWithoutTriggerReadsAsABaseImageUpdate() {
        String json = EventJson.writeString(oneOfEach().get(0));
        assertTrue(json.contains("\"trigger\":{\"kind\":\"base-image-updated\"}"), json);
        String older = json.replace(",\"trigger\":{\"kind\":\"base-image-updated\"}", "");
        assertEquals(Trigger.baseImageUpdated(), EventJson.read(bytes(older), BaseImageUpdated.class).trigger());
    }

    @Test
    void verifiedCannotCarryAFailedCheck() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageVerified("run-1", "a/b", 1, T0, TRIGGER,
                List.of(BASE), ImageReference.parse("r.io/x@" + CANDIDATE), List.of(new CheckResult("c", false, "no")), null));
        assertTrue(e.getMessage().contains("cannot carry a failed check"));
    }

    @Test
    void baseUpdateRunIdsAreDeterministic() {
        String a = RunIds.forBaseUpdate("net10/runtime", List.of(NEW, OLD), "h1");
        assertEquals(a, RunIds.forBaseUpdate("net10/runtime", List.of(OLD, NEW), "h1"));
        assertTrue(!a.equals(RunIds.forBaseUpdate("net10/runtime", List.of(NEW), "h1")));
        assertTrue(!a.equals(RunIds.forBaseUpdate("net10/runtime", List.of(NEW, OLD), "h2")));
        assertTrue(!RunIds.forced().equals(RunIds.forced()));
    }

    static String validBuiltJson() {
        return EventJson.writeString(oneOfEach().get(2));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
