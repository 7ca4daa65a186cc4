package dev.freshen.notifier.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.PipelineFailed;
import dev.freshen.notifier.Events;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlackBlocksTest {

    @Test
    void thePublishedMessageHasAHeaderFieldsTheDockerfileLineAndTheTimings() {
        ImagePublished event = Events.published("net10/runtime");
        ObjectNode message = SlackBlocks.message(event);

        assertTrue(message.get("text").asText().startsWith(":white_check_mark: Published net10/runtime 10.0-noble-1.3.0: "));
        JsonNode blocks = message.get("blocks");
        assertEquals("header", blocks.at("/0/type").asText());
        assertEquals("plain_text", blocks.at("/0/text/type").asText());
        assertEquals("✅ Published net10/runtime 10.0-noble-1.3.0", blocks.at("/0/text/text").asText());
        assertTrue(texts(blocks).contains("*Version*\n10.0-noble-1.3.0"), texts(blocks)::toString);
        List<String> texts = texts(blocks);
        assertTrue(texts.contains("*Image*\nnet10/runtime"), texts::toString);
        assertTrue(texts.contains("*Tags*\n10.0-noble-1.3.0, 10.0, latest"), texts::toString);
        assertTrue(texts.contains("*Triggered by*\nforced by alice"), texts::toString);
        assertTrue(texts.contains("*Reason*\nDockerfile changed: &lt;curl&gt; &amp; \"ca-certificates\""), "escaped: " + texts);
        assertTrue(texts.contains("*Base image* 127.0.0.1:5000/dotnet/runtime:10.0\n`" + SampleEvents.digest('1') + " → "
                + SampleEvents.digest('2') + "`"), texts::toString);
        assertTrue(texts.contains("*Copy this into your Dockerfile*\n```FROM " + event.image() + "```"), texts::toString);
        assertTrue(texts.contains("Duration per stage: build 2m 05s · test 44s · publish 850ms · total 2m 52s"), texts::toString);
        assertWithinSlackLimits(blocks);
    }

    @Test
    void theFailedMessageHasTheReasonTheLogTailAndTheRetryCommand() {
        String log = IntStream.rangeClosed(1, 2_000).mapToObj(i -> "<step " + i + "> & ```" + "y".repeat(100))
                .collect(Collectors.joining("\n"));
        PipelineFailed event = Events.failed("net10/runtime", log);
        JsonNode blocks = SlackBlocks.message(event).get("blocks");
        List<String> texts = texts(blocks);

        assertEquals("❌ net10/runtime: run failed at test", blocks.at("/0/text/text").asText());
        assertTrue(texts.contains("*Reason*\n" + event.reason()), texts::toString);
        assertTrue(texts.contains("*Stage*\ntest"), texts::toString);
        String logText = texts.stream().filter(t -> t.startsWith("*Log excerpt*")).findFirst().orElseThrow();
        assertTrue(logText.endsWith("&lt;step 2000&gt; &amp; '''" + "y".repeat(100) + "```"), logText);
        assertTrue(logText.contains("earlier lines trimmed"), logText);
        assertTrue(texts.contains("*To retry*\n```freshen force-update net10/runtime --reason \"retry of run "
                + event.runId() + " (failed at test)\"```"), texts::toString);
        assertWithinSlackLimits(blocks);
    }

    @Test
    void theRolledBackMessageSaysWhereTheTagsAreNowWhoAskedAndWhy() {
        var event = Events.rolledBack("net10/runtime", "1.3.0 breaks <TLS>");
        ObjectNode message = SlackBlocks.message(event);
        assertEquals(":rewind: net10/runtime rolled back to 10.0-noble-1.2.0 by api:ops: 1.3.0 breaks &lt;TLS&gt;",
                message.get("text").asText());
        JsonNode blocks = message.get("blocks");
        assertEquals("⏪ net10/runtime rolled back to 10.0-noble-1.2.0", blocks.at("/0/text/text").asText());
        List<String> texts = texts(blocks);
        assertTrue(texts.containsAll(List.of("*Reason*\n1.3.0 breaks &lt;TLS&gt;", "*Now*\n10.0-noble-1.2.0",
                "*Before*\n10.0-noble-1.3.0", "*Tags moved*\n10.0, latest", "*Requested by*\napi:ops",
                "*To pin this version in your Dockerfile*\n```FROM " + event.to() + "```")), texts::toString);
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("*What happens next*\nNothing was rebuilt")), texts::toString);
        assertWithinSlackLimits(blocks);
    }

    @Test
    void theChecksFailingMessageSaysWhyWhatItMeansAndWhatToDo() {
        var event = Events.checksFailed("net10/runtime", "base-image-missing",
                "base image mcr.microsoft.com/dotnet/runtime:10.0 does not exist upstream <gone>");
        ObjectNode message = SlackBlocks.message(event);
        assertEquals(":warning: net10/runtime: checks failing (3 failed checks in a row): base image "
                + "mcr.microsoft.com/dotnet/runtime:10.0 does not exist upstream &lt;gone&gt;", message.get("text").asText());
        JsonNode blocks = message.get("blocks");
        assertEquals("⚠️ net10/runtime: checks failing", blocks.at("/0/text/text").asText());
        List<String> texts = texts(blocks);
        assertTrue(texts.containsAll(List.of("*Reason*\nbase image mcr.microsoft.com/dotnet/runtime:10.0 does not exist "
                + "upstream &lt;gone&gt;", "*Failing since*\n2025-01-14 09:00:00 UTC", "*Failed checks*\n3 in a row",
                "*Problem*\nbase-image-missing", "*Streak*\n" + event.runId())), texts::toString);
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("*What to do*\nA base tag of the Dockerfile does not exist "
                + "upstream")), texts::toString);
        assertWithinSlackLimits(blocks);
    }

    @Test
    void theChecksRecoveredMessageSaysHowLongAndHowMany() {
        var event = Events.checksRecovered(Events.checksFailed("net10/runtime", "registry-unreachable", "refused"));
        ObjectNode message = SlackBlocks.message(event);
        assertEquals(":white_check_mark: net10/runtime: checks pass again after 5 failed checks (1h 05m)",
                message.get("text").asText());
        JsonNode blocks = message.get("blocks");
        assertEquals("✅ net10/runtime: checks pass again", blocks.at("/0/text/text").asText());
        List<String> texts = texts(blocks);
        assertTrue(texts.containsAll(List.of("*Failed for*\n1h 05m", "*Failed checks*\n5",
                "*Failing since*\n2025-01-14 09:00:00 UTC")), texts::toString);
        assertWithinSlackLimits(blocks);
    }

    @Test
    void theNotWatchedMessageSaysSoInItsTextAndListsEveryProblemWithItsHint() {
        ImageWatchChanged event = Events.notWatched("net10/runtime");
        ObjectNode message = SlackBlocks.message(event);
        assertEquals(":warning: net10/runtime is not watched any more: net10/runtime/platform-image.yaml line 1, "
                + "column 11: field 'schedule': 'hourly' is not a valid cron expression: it has 1 field, a Quartz cron "
                + "expression has 6; net10/runtime/platform-image.yaml line 12, column 1: unknown key 'notfy' at the "
                + "top level: did you mean notify?", message.get("text").asText());
        JsonNode blocks = message.get("blocks");
        assertEquals("⚠️ net10/runtime is not watched any more", blocks.at("/0/text/text").asText());
        List<String> texts = texts(blocks);
        assertTrue(texts.contains("*net10/runtime/platform-image.yaml line 12, column 1*\nunknown key 'notfy' at the top "
                + "level: did you mean notify?\n→ Rename it to notify."), texts::toString);
        assertTrue(texts.stream().anyMatch(t -> t.contains("&lt;b&gt;not&lt;/b&gt; markdown &amp; not HTML")), "escaped: " + texts);
        assertTrue(texts.contains("*State*\ninvalid: not checked, not built"), texts::toString);
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("*To have it watched again*\nFix net10/runtime/platform-image.yaml")));
        assertWithinSlackLimits(blocks);

        ObjectNode again = SlackBlocks.message(Events.watchedAgain(event));
        assertEquals(":white_check_mark: net10/runtime is watched again", again.get("text").asText());
        assertWithinSlackLimits(again.get("blocks"));
    }

    @Test
    void aMultiPlatformMessageNamesItsPlatformsAndHasABaseDigestLinePerPlatform() {
        ImagePublished one = Events.simplePublished("net10/runtime");
        var before = SampleEvents.digest('1');
        var after = SampleEvents.digest('2');
        var amd64 = dev.freshen.events.image.Platform.LINUX_AMD64;
        var arm64 = dev.freshen.events.image.Platform.parse("linux/arm64");
        var base = new dev.freshen.events.BaseImage(one.baseImages().get(0).reference(), before, before, amd64)
                .withPlatforms(List.of(new dev.freshen.events.BasePlatform(amd64, before, before),
                        new dev.freshen.events.BasePlatform(arm64, after, before)));
        ImagePublished event = new ImagePublished(one.runId(), one.imageId(), 1, one.occurredAt(), one.trigger(),
                List.of(base), one.image(), one.version(), one.tags(), one.timings(), "10.0-1.0.0").withManifests(List.of(
                new dev.freshen.events.image.PlatformDigest(amd64, SampleEvents.digest('a')),
                new dev.freshen.events.image.PlatformDigest(arm64, SampleEvents.digest('b'))));
        ObjectNode message = SlackBlocks.message(event);
        List<String> texts = texts(message.get("blocks"));

        assertEquals("✅ Published net10/runtime " + one.image().tag() + " for linux/amd64, linux/arm64",
                message.get("blocks").at("/0/text/text").asText());
        assertTrue(texts.contains("*Base image* " + base.reference() + "\n`linux/amd64: " + before + " (unchanged)`"
                + "\n`linux/arm64: " + before + " → " + after + "`"), texts::toString);
        assertWithinSlackLimits(message.get("blocks"));
    }

    @Test
    void aForcedRunsMessageSaysWhatItWasBuiltFromWhatItReplacesAndWhoAsked() {
        ImagePublished event = Events.forcedPublished("net10/runtime", "api:ci-pipeline", "10.0-1.0.0");
        ObjectNode message = SlackBlocks.message(event);
        List<String> texts = texts(message.get("blocks"));

        assertTrue(texts.containsAll(List.of("*Version*\n10.0-1.1.0", "*Replaces*\n10.0-1.0.0",
                "*Triggered by*\nforced by api:ci-pipeline", "*Reason*\nCVE-2026-1234 in openssl",
                "*Base image* 127.0.0.1:5000/dotnet/runtime:10.0\n`" + SampleEvents.digest('2') + " (unchanged)`")),
                texts::toString);
        Events.assertPlain(message.toString());
        assertWithinSlackLimits(message.get("blocks"));
    }

    @Test
    void aFailedRunsMessageSaysWhatToDoAndShowsTheLogWithoutEscapeCodes() {
        PipelineFailed event = Events.failed("net10/runtime", Events.COLOURED_LOG)
                .withProblem("app-exited", "fix the app's configuration, then force an update");
        ObjectNode message = SlackBlocks.message(event);
        List<String> texts = texts(message.get("blocks"));

        assertTrue(texts.contains("*What to do*\nfix the app's configuration, then force an update"), texts::toString);
        String logText = texts.stream().filter(t -> t.startsWith("*Log excerpt*")).findFirst().orElseThrow();
        assertTrue(logText.contains("FATAL: config missing\nDownloading 100%\nexit code    3"), logText);
        Events.assertPlain(message.toString());
        assertWithinSlackLimits(message.get("blocks"));
    }

    @Test
    void aScannedImagesMessageShowsWhatItFixesAndIntroduces() {
        ImagePublished event = Events.published("net10/runtime").withScan(dev.freshen.events.ScanFindings
                .complete(java.util.Map.of("LOW", 1)).withDelta("10.0-noble-1.2.0",
                        new dev.freshen.events.ScanDelta(java.util.Map.of("CRITICAL", 1), java.util.Map.of("LOW", 1))));
        JsonNode blocks = SlackBlocks.message(event).get("blocks");
        List<String> texts = texts(blocks);
        assertTrue(texts.contains("*Vulnerabilities*\nfixes 1 CVE: 1 critical; introduces 1 CVE: 1 low (against "
                + "10.0-noble-1.2.0)"), texts::toString);
        assertTrue(texts.contains("*Scan*\n1 low"), texts::toString);
        assertWithinSlackLimits(blocks);
    }

    @Test
    void aDefinitionChangeListsFilesAndCommitsAndAParentsFailureWhatItHoldsBack() {
        ImagePublished changed = Events.withTrigger(Events.published("base/aspnet"), Events.definitionChanged(12, 3, 7, 0));
        JsonNode blocks = SlackBlocks.message(changed).get("blocks");
        List<String> texts = texts(blocks);
        assertTrue(texts.contains("*Triggered by*\ndefinition changed"), texts::toString);
        String files = texts.stream().filter(t -> t.startsWith("*What changed*")).findFirst().orElseThrow();
        assertTrue(files.startsWith("*What changed*\n• Dockerfile (modified)\n• app/file-1.sh (added)\n"), files);
        assertTrue(files.endsWith("\n• … and 5 more files"), files);
        String commits = texts.stream().filter(t -> t.startsWith("*Commits*")).findFirst().orElseThrow();
        assertTrue(commits.startsWith("*Commits*\n• aaaaaaa Pin *curl* &amp; &lt;openssl&gt; 0 (Alice &lt;b&gt;0)\n"), commits);
        assertTrue(commits.endsWith("\n• … and 2 more commits"), commits);
        assertWithinSlackLimits(blocks);

        PipelineFailed failed = Events.withTrigger(Events.failed("base/runtime", "exit 3"),
                Events.parentPublished().withDependents(List.of("base/aspnet", "team/app")));
        blocks = SlackBlocks.message(failed).get("blocks");
        texts = texts(blocks);
        assertTrue(texts.containsAll(List.of("*Held back*\nbase/aspnet, team/app wait for this image's next publish",
                "*Triggered by*\nbase/runtime published 10.0-1.3.0 (run " + Events.PARENT_RUN + ")")), texts::toString);
        assertTrue(texts.stream().noneMatch(t -> t.startsWith("*What changed*")), texts::toString);
        assertWithinSlackLimits(blocks);
    }

    private static void assertWithinSlackLimits(JsonNode blocks) {
        assertTrue(blocks.size() <= 50, "at most 50 blocks");
        for (JsonNode block : blocks) {
            switch (block.get("type").asText()) {
                case "header" -> assertTrue(block.at("/text/text").asText().length() <= 150);
                case "section" -> {
                    if (block.has("text")) {
                        assertTrue(block.at("/text/text").asText().length() <= 3000, "section text within 3000");
                    }
                    if (block.has("fields")) {
                        assertTrue(block.get("fields").size() <= 10, "at most 10 fields");
                        block.get("fields").forEach(f -> assertTrue(f.get("text").asText().length() <= 2000));
                    }
                }
                case "context" -> assertTrue(block.get("elements").size() <= 10);
                default -> throw new AssertionError("unexpected block " + block);
            }
        }
    }

    private static List<String> texts(JsonNode blocks) {
        List<String> all = new ArrayList<>();
        for (JsonNode block : blocks) {
            if (block.has("text")) {
                all.add(block.at("/text/text").asText());
            }
            block.path("fields").forEach(f -> all.add(f.get("text").asText()));
            block.path("elements").forEach(e -> all.add(e.get("text").asText()));
        }
        return all;
    }
}
