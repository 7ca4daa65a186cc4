package dev.freshen.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Today's records reading events as a newer writer writes them ({@code src/test/resources/compat/newer-writer/}, one
 * file per event type, with values this version does not know in every open-valued field and fields it does not
 * know in every object): nothing is rejected, an unknown value reads as "other" with its id, and what a stage copies
 * into its own event (trigger, base images, timings) or writes out again as it is comes out unchanged.
 */
class NewerWriterTest {

    /** Reads JSON as a tree the way {@link EventJson} keeps unknown values: decimals with their scale. */
    private static final ObjectMapper TREE = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final Instant LATER = Instant.parse("2026-12-01T10:00:00Z");

    @ParameterizedTest
    @EnumSource(EventType.class)
    void readsWhatANewerWriterWroteAndKeepsWhatItDoesNotKnow(EventType type) {
        byte[] json = newer(type);
        JsonNode input = tree(json);
        FreshenEvent event = EventJson.read(json, type);
        JsonNode written = tree(EventJson.write(event));

        Set<String> dropped = new TreeSet<>();
        input.fieldNames().forEachRemaining(name -> {
            if (!written.has(name)) {
                dropped.add(name);
            }
        });
        assertFalse(dropped.isEmpty(), type + ": the file has no field this version does not know at the top level");

        List<Open> open = openValues(event);
        if (type != EventType.FORCE_UPDATE_REQUESTED && type != EventType.ROLLBACK_REQUESTED
                && type != EventType.IMAGE_ROLLED_BACK && type != EventType.CHECKS_FAILED
                && type != EventType.CHECKS_RECOVERED) {
            assertFalse(open.isEmpty(), type + ": no open-valued field was read");
        }
        for (Open value : open) {
            assertTrue(value.other(), type + ": " + value.pointer() + " '" + value.id() + "' is a value this version "
                    + "knows; the file should use a newer one");
            assertEquals(input.at(value.pointer()).asText(), value.id(), type + ": id of " + value.pointer());
        }

        List<Nested> nested = nestedValues(event);
        for (Nested value : nested) {
            assertFalse(value.unknownFields().isEmpty(), type + ": " + value.pointer() + " has no field this version "
                    + "does not know; the file should have one");
            assertEquals(input.at(value.pointer()), written.at(value.pointer()), type + ": " + value.pointer()
                    + " written out again");
        }
        for (String field : List.of("trigger", "baseImages", "timings", "checks", "stage", "kind", "state", "problems",
                "scan")) {
            if (input.has(field)) {
                assertEquals(input.get(field), written.get(field), type + ": " + field + " written out again");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void whatTheNextStageCopiesComesOutUnchanged(EventType type) {
        JsonNode input = tree(newer(type));
        FreshenEvent event = EventJson.read(newer(type), type);
        List<Reemitted> outputs = reemitted(event);
        assertFalse(outputs.isEmpty(), type + ": no stage re-emits it");
        for (Reemitted output : outputs) {
            JsonNode written = tree(EventJson.write(output.event()));
            FreshenEvent reread = EventJson.read(EventJson.write(output.event()), output.event().type());
            assertEquals(output.event(), reread, output.by() + ": reads back as written");
            for (String field : output.copied()) {
                JsonNode expected = input.get(field);
                JsonNode actual = written.get(field);
                assertNotNull(expected, type + " has no " + field);
                if (field.equals("timings")) {
                    assertTrue(actual.size() >= expected.size(), output.by() + ": timings");
                    for (int i = 0; i < expected.size(); i++) {
                        assertEquals(expected.get(i), actual.get(i), output.by() + ": timings[" + i + "]");
                    }
                } else {
                    assertEquals(expected, actual, output.by() + ": " + field);
                }
            }
        }
    }

    @Test
    void unknownValuesReadAsOtherWithTheirIds() {
        PipelineFailed failed = (PipelineFailed) EventJson.read(newer(EventType.PIPELINE_FAILED), EventType.PIPELINE_FAILED);
        assertEquals(FailureKind.of("quota-exceeded"), failed.kind());
        assertTrue(failed.kind().isOther());
        assertEquals("scan", failed.stage().id());
        assertTrue(failed.stage().isOther());
        assertEquals("security-advisory", failed.trigger().kind().id());
        assertEquals("net10/runtime-deps", failed.trigger().parent().imageId(), "known fields of a newer trigger are read");
        assertTrue(failed.trigger().kind().isOther());

        ImagePublished published = (ImagePublished) EventJson.read(newer(EventType.IMAGE_PUBLISHED), EventType.IMAGE_PUBLISHED);
        assertEquals(List.of("build", "sign", "publish"), published.timings().stream().map(t -> t.stage().id()).toList());
        assertTrue(published.timings().get(0).stage() == Stage.BUILD, "a known id is its constant");
        assertEquals("bob", published.trigger().requestedBy(), "known fields of a trigger of an unknown kind are read");
    }

    @Test
    void aKeptDecimalKeepsItsValueAndScale() {
        ImageBuilt built = (ImageBuilt) EventJson.read(newer(EventType.IMAGE_BUILT), EventType.IMAGE_BUILT);
        String json = EventJson.writeString(built);
        assertTrue(json.contains("\"cacheHitRatio\":0.750"), json);
    }

    @ParameterizedTest(name = "{0} without {1}")
    @CsvSource(delimiter = '|', value = {
            "base-image-updated | /contentHash | invalid BaseImageUpdated payload: BaseImageUpdated: field 'contentHash' is required",
            "base-image-updated | /baseImages/0/digest | invalid BaseImageUpdated payload at 'baseImages[0]': BaseImage: field 'digest' is required",
            "base-image-updated | /trigger/kind | invalid BaseImageUpdated payload at 'trigger': Trigger: field 'kind' is required",
            "force-update-requested | /runId | invalid ForceUpdateRequested payload: ForceUpdateRequested: field 'runId' is required",
            "image-built | /trigger | invalid ImageBuilt payload: ImageBuilt: field 'trigger' is required",
            "image-built | /timings/1/startedAt | invalid ImageBuilt payload at 'timings[1]': StageTiming: field 'startedAt' is required",
            "image-verified | /checks/1/name | invalid ImageVerified payload at 'checks[1]': CheckResult: field 'name' is required",
            "image-verified | /timings/1/stage | invalid ImageVerified payload at 'timings[1]': StageTiming: field 'stage' is required",
            "image-published | /version | invalid ImagePublished payload: ImagePublished: field 'version' is required",
            "pipeline-failed | /stage | invalid PipelineFailed payload: PipelineFailed: field 'stage' is required",
            "pipeline-failed | /kind | invalid PipelineFailed payload: PipelineFailed: field 'kind' is required",
            "image-watch-changed | /state | invalid ImageWatchChanged payload: ImageWatchChanged: field 'state' is required",
            "image-watch-changed | /problems/1/code | invalid ImageWatchChanged payload at 'problems[1]': Problem: field 'code' is required",
            "image-watch-changed | /problems/0/message | invalid ImageWatchChanged payload at 'problems[0]': Problem: field 'message' is required",
            "checks-failed | /failingSince | invalid ChecksFailed payload: ChecksFailed: field 'failingSince' is required",
            "checks-failed | /consecutiveFailures | invalid ChecksFailed payload: ChecksFailed: field 'consecutiveFailures' is required",
            "checks-failed | /reason | invalid ChecksFailed payload: ChecksFailed: field 'reason' is required",
            "checks-recovered | /recoveredAt | invalid ChecksRecovered payload: ChecksRecovered: field 'recoveredAt' is required",
    })
    void aMissingRequiredFieldIsStillRejectedByName(String file, String pointer, String message) {
        ObjectNode json = (ObjectNode) tree(resource(file + ".json"));
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = json.at(pointer.substring(0, slash));
        assertTrue(parent.has(pointer.substring(slash + 1)), pointer + " is in " + file);
        ((ObjectNode) parent).remove(pointer.substring(slash + 1));
        EventType type = EventType.fromCloudEventType("dev.freshen." + file + ".v1").orElseThrow();
        var e = assertThrows(InvalidEventException.class, () -> EventJson.read(TREE.writeValueAsBytes(json), type));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "pipeline-failed | /kind | Timed Out | invalid PipelineFailed payload at 'kind': failure kind 'Timed Out' is not an id",
            "image-watch-changed | /state | Not Watched | invalid ImageWatchChanged payload at 'state': watch state 'Not Watched' is not an id",
            "pipeline-failed | /stage | '' | invalid PipelineFailed payload at 'stage': stage is empty",
            "image-built | /trigger/kind | forced! | invalid ImageBuilt payload at 'trigger.kind': trigger kind 'forced!' is not an id",
    })
    void aValueThatIsNoIdIsRejectedByName(String file, String pointer, String value, String message) {
        ObjectNode json = (ObjectNode) tree(resource(file + ".json"));
        int slash = pointer.lastIndexOf('/');
        ((ObjectNode) json.at(pointer.substring(0, slash))).put(pointer.substring(slash + 1), value);
        EventType type = EventType.fromCloudEventType("dev.freshen." + file + ".v1").orElseThrow();
        var e = assertThrows(InvalidEventException.class, () -> EventJson.read(TREE.writeValueAsBytes(json), type));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    /** A value of an open set read from the event, at its JSON pointer. */
    record Open(String pointer, String id, boolean other) {
    }

    /** A nested value with kept unknown fields, at its JSON pointer. */
    record Nested(String pointer, java.util.Map<String, JsonNode> unknownFields) {
    }

    /** An event a stage writes from the one it read, and the fields it copies. */
    record Reemitted(String by, FreshenEvent event, List<String> copied) {
    }

    static List<Open> openValues(FreshenEvent event) {
        List<Open> open = new ArrayList<>();
        Trigger trigger = wireTrigger(event);
        if (trigger != null) {
            open.add(new Open("/trigger/kind", trigger.kind().id(), trigger.kind().isOther()));
        }
        List<StageTiming> timings = timings(event);
        for (int i = 0; i < timings.size(); i++) {
            Stage stage = timings.get(i).stage();
            // a newer writer's run also has the stages this version knows: only the others must be new
            if (stage.isOther()) {
                open.add(new Open("/timings/" + i + "/stage", stage.id(), true));
            }
        }
        if (!timings.isEmpty() && timings.stream().noneMatch(t -> t.stage().isOther())) {
            fail(event.type() + ": no timing of a stage this version does not know");
        }
        if (event instanceof PipelineFailed failed) {
            open.add(new Open("/stage", failed.stage().id(), failed.stage().isOther()));
            open.add(new Open("/kind", failed.kind().id(), failed.kind().isOther()));
        }
        if (event instanceof ImageWatchChanged changed) {
            open.add(new Open("/state", changed.state().id(), changed.state().isOther()));
            open.add(new Open("/previousState", changed.previousState().id(), changed.previousState().isOther()));
        }
        return open;
    }

    static List<Nested> nestedValues(FreshenEvent event) {
        List<Nested> nested = new ArrayList<>();
        Trigger trigger = wireTrigger(event);
        if (trigger != null) {
            nested.add(new Nested("/trigger", trigger.unknownFields()));
            if (trigger.parent() != null) {
                nested.add(new Nested("/trigger/parent", trigger.parent().unknownFields()));
            }
            if (trigger.definition() != null) {
                nested.add(new Nested("/trigger/definition", trigger.definition().unknownFields()));
                for (int i = 0; i < trigger.definition().files().size(); i++) {
                    nested.add(new Nested("/trigger/definition/files/" + i, trigger.definition().files().get(i).unknownFields()));
                }
                for (int i = 0; i < trigger.definition().commits().size(); i++) {
                    nested.add(new Nested("/trigger/definition/commits/" + i, trigger.definition().commits().get(i).unknownFields()));
                }
            }
        }
        List<BaseImage> bases = event instanceof BaseImageUpdated u ? u.baseImages()
                : event instanceof ImageBuilt b ? b.baseImages()
                : event instanceof ImageVerified v ? v.baseImages()
                : event instanceof ImagePublished p ? p.baseImages() : List.of();
        for (int i = 0; i < bases.size(); i++) {
            nested.add(new Nested("/baseImages/" + i, bases.get(i).unknownFields()));
        }
        List<StageTiming> timings = timings(event);
        for (int i = 0; i < timings.size(); i++) {
            nested.add(new Nested("/timings/" + i, timings.get(i).unknownFields()));
        }
        List<CheckResult> checks = event instanceof ImageVerified v ? v.checks() : List.of();
        for (int i = 0; i < checks.size(); i++) {
            nested.add(new Nested("/checks/" + i, checks.get(i).unknownFields()));
        }
        ScanFindings scan = event instanceof ImageVerified v ? v.scan() : event instanceof ImagePublished p ? p.scan() : null;
        if (scan != null) {
            nested.add(new Nested("/scan", scan.unknownFields()));
        }
        List<ImageWatchChanged.Problem> problems = event instanceof ImageWatchChanged c ? c.problems() : List.of();
        for (int i = 0; i < problems.size(); i++) {
            nested.add(new Nested("/problems/" + i, problems.get(i).unknownFields()));
        }
        return nested;
    }

    /**
     * What the stages write from {@code event}, copying as they do: the builder ({@code BuildStage.built} and
     * {@code failed}, from {@code BuildRequest.of}), the tester ({@code VerificationStage.attempt} and {@code failed};
     * {@code RunOutcomes} answers a stored outcome again as it is), the publisher ({@code PublishStage.published} and
     * {@code failed}), the notifier's JSON webhook (the event as it is; the only reader that writes out an
     * {@code ImageWatchChanged} again).
     */
    static List<Reemitted> reemitted(FreshenEvent event) {
        ImageReference candidate = ImageReference.parse("127.0.0.1:5000/platform-staging/net10-runtime@sha256:" + "c".repeat(64));
        StageTiming now = new StageTiming(Stage.TEST, LATER, LATER.plusSeconds(1));
        if (event instanceof BaseImageUpdated u) {
            return List.of(
                    new Reemitted("builder", new ImageBuilt(u.runId(), u.imageId(), 1, LATER, u.trigger(), u.baseImages(),
                            candidate, List.of(), List.of(new StageTiming(Stage.BUILD, LATER, LATER))),
                            List.of("trigger", "baseImages")),
                    new Reemitted("builder (failed)", new PipelineFailed(u.runId(), u.imageId(), 1, LATER, Stage.BUILD,
                            FailureKind.PERMANENT, "x", null, u.trigger()), List.of("trigger")));
        }
        if (event instanceof ForceUpdateRequested f) {
            ImageBuilt built = new ImageBuilt(f.runId(), f.imageId(), 1, LATER, f.trigger(),
                    List.of(EventJsonTest.BASE), candidate, List.of(), List.of());
            assertEquals(Trigger.forced(f.reason(), f.requestedBy()), built.trigger());
            return List.of(new Reemitted("builder", built, List.of()));
        }
        if (event instanceof ImageBuilt b) {
            List<StageTiming> timings = new ArrayList<>(b.timings());
            timings.add(now);
            return List.of(
                    new Reemitted("tester", new ImageVerified(b.runId(), b.imageId(), 1, LATER, b.trigger(), b.baseImages(),
                            b.candidate(), List.of(new CheckResult("user: non-root", true, "uid 1654")), timings)
                            .withManifests(b.manifests()),
                            List.of("trigger", "baseImages", "candidate", "timings", "manifests")),
                    new Reemitted("tester (failed)", new PipelineFailed(b.runId(), b.imageId(), 1, LATER, Stage.TEST,
                            FailureKind.PERMANENT, "x", null, b.trigger()), List.of("trigger")));
        }
        if (event instanceof ImageVerified v) {
            List<StageTiming> timings = new ArrayList<>(v.timings());
            timings.add(new StageTiming(Stage.PUBLISH, LATER, LATER.plusSeconds(1)));
            ImageReference image = ImageReference.parse("127.0.0.1:5000/platform/net10-runtime:10.0-noble-1.6.0@"
                    + v.candidate().digest());
            return List.of(
                    new Reemitted("publisher", new ImagePublished(v.runId(), v.imageId(), 1, LATER, v.trigger(),
                            v.baseImages(), image, "1.6.0", List.of(image.tag()), timings).withScan(v.scan())
                            .withManifests(v.manifests()),
                            List.of("trigger", "baseImages", "timings", "scan", "manifests")),
                    new Reemitted("publisher (failed)", new PipelineFailed(v.runId(), v.imageId(), 1, LATER, Stage.PUBLISH,
                            FailureKind.TRANSIENT_EXHAUSTED, "x", null, v.trigger()), List.of("trigger")),
                    new Reemitted("tester (answering again)", v,
                            List.of("trigger", "baseImages", "candidate", "checks", "timings", "scan", "manifests")));
        }
        if (event instanceof RollbackRequested r) {
            ImageReference to = ImageReference.parse("127.0.0.1:5000/platform/net10-runtime:" + r.toVersion() + "@sha256:"
                    + "1".repeat(64));
            ImageReference from = ImageReference.parse("127.0.0.1:5000/platform/net10-runtime:" + r.fromVersion()
                    + "@sha256:" + "2".repeat(64));
            return List.of(
                    new Reemitted("publisher", new ImageRolledBack(r.runId(), r.imageId(), 1, LATER, from, to,
                            List.of("10.0"), r.fromVersion(), r.reason(), r.requestedBy()), List.of("reason", "requestedBy")),
                    new Reemitted("publisher (failed)", new PipelineFailed(r.runId(), r.imageId(), 1, LATER, Stage.PUBLISH,
                            FailureKind.PERMANENT, "x", null, r.trigger()), List.of()));
        }
        if (event instanceof ImageRolledBack b) {
            return List.of(new Reemitted("notifier webhook", b,
                    List.of("from", "to", "tags", "newestVersion", "reason", "requestedBy")));
        }
        if (event instanceof ChecksFailed f) {
            return List.of(new Reemitted("notifier webhook", f,
                    List.of("failingSince", "consecutiveFailures", "code", "reason")));
        }
        if (event instanceof ChecksRecovered r) {
            return List.of(new Reemitted("notifier webhook", r, List.of("failingSince", "recoveredAt", "failedCycles")));
        }
        if (event instanceof ImageWatchChanged c) {
            return List.of(new Reemitted("notifier webhook", c,
                    List.of("state", "previousState", "problems", "lastPublished")));
        }
        if (event instanceof ImagePublished p) {
            return List.of(new Reemitted("notifier webhook", p,
                    List.of("trigger", "baseImages", "image", "version", "tags", "timings", "scan")));
        }
        PipelineFailed f = (PipelineFailed) event;
        return List.of(new Reemitted("notifier webhook", f, List.of("stage", "kind", "reason", "logExcerpt", "trigger")));
    }

    /** The trigger as read from the wire (a forced request's trigger is made from its fields). */
    private static Trigger wireTrigger(FreshenEvent event) {
        return event instanceof BaseImageUpdated u ? u.trigger()
                : event instanceof ImageBuilt b ? b.trigger()
                : event instanceof ImageVerified v ? v.trigger()
                : event instanceof ImagePublished p ? p.trigger()
                : event instanceof PipelineFailed f ? f.trigger() : null;
    }

    private static List<StageTiming> timings(FreshenEvent event) {
        return event instanceof ImageBuilt b ? b.timings()
                : event instanceof ImageVerified v ? v.timings()
                : event instanceof ImagePublished p ? p.timings() : List.of();
    }

    /** The file for {@code type}: {@code dev.freshen.<name>.v1} is {@code <name>.json}. */
    static byte[] newer(EventType type) {
        String name = type.cloudEventType().replaceFirst("^dev\\.freshen\\.", "").replaceFirst("\\.v[0-9]+$", "");
        return resource(name + ".json");
    }

    private static byte[] resource(String name) {
        try (InputStream in = NewerWriterTest.class.getResourceAsStream("/compat/newer-writer/" + name)) {
            assertNotNull(in, "compat/newer-writer/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(byte[] json) {
        try {
            return TREE.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
