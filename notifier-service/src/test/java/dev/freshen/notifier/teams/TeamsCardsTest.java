package dev.freshen.notifier.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.PipelineFailed;
import dev.freshen.notifier.Events;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TeamsCardsTest {

    @Test
    void aMultiPlatformCardNamesItsPlatformsAndHasABaseDigestPerPlatform() {
        ImagePublished one = Events.simplePublished("net10/runtime");
        var before = SampleEvents.digest('1');
        var after = SampleEvents.digest('2');
        var arm64 = dev.freshen.events.image.Platform.parse("linux/arm64");
        var base = new dev.freshen.events.BaseImage(one.baseImages().get(0).reference(), before, before,
                dev.freshen.events.image.Platform.LINUX_AMD64).withPlatforms(List.of(
                new dev.freshen.events.BasePlatform(dev.freshen.events.image.Platform.LINUX_AMD64, before, before),
                new dev.freshen.events.BasePlatform(arm64, after, before)));
        ImagePublished event = new ImagePublished(one.runId(), one.imageId(), 1, one.occurredAt(), one.trigger(),
                List.of(base), one.image(), one.version(), one.tags(), one.timings(), "10.0-1.0.0").withManifests(List.of(
                new dev.freshen.events.image.PlatformDigest(dev.freshen.events.image.Platform.LINUX_AMD64, SampleEvents.digest('a')),
                new dev.freshen.events.image.PlatformDigest(arm64, SampleEvents.digest('b'))));
        ObjectNode message = TeamsCards.message(event);
        JsonNode card = card(message);

        assertEquals("✅ Published net10/runtime " + one.image().tag() + " for linux/amd64, linux/arm64",
                card.at("/body/0/text").asText());
        List<String> facts = facts(card);
        assertTrue(facts.contains("Base digest: linux/amd64: " + before + " (unchanged)"), facts::toString);
        assertTrue(facts.contains("Base digest: linux/arm64: " + before + " → " + after), facts::toString);
        AdaptiveCardValidator.assertValid(message.toString());
    }

    @Test
    void thePublishedCardSaysWhatWherefromWhyHowLongAndWhatToCopy() {
        ImagePublished event = Events.published("net10/runtime");
        ObjectNode message = TeamsCards.message(event);
        JsonNode card = card(message);

        assertEquals("1.4", card.get("version").asText());
        assertEquals("Full", card.at("/msteams/width").asText());
        assertEquals("✅ Published net10/runtime 10.0-noble-1.3.0", card.at("/body/0/text").asText());
        assertEquals("Large", card.at("/body/0/size").asText());
        List<String> facts = facts(card);
        assertTrue(facts.contains("Image: net10/runtime"), facts::toString);
        assertTrue(facts.contains("Version: 10.0-noble-1.3.0"), facts::toString);
        assertFalse(facts.stream().anyMatch(f -> f.startsWith("Replaces:")), "not known, not shown: " + facts);
        assertTrue(facts.contains("Image URI: registry.example.com/platform/net10-runtime:10.0-noble-1.3.0@"
                + SampleEvents.digest('9')), facts::toString);
        assertTrue(facts.contains("Tags: 10.0-noble-1.3.0, 10.0, latest"), facts::toString);
        assertTrue(facts.contains("Base image: 127.0.0.1:5000/dotnet/runtime:10.0"), facts::toString);
        assertTrue(facts.contains("Base digest: " + SampleEvents.digest('1') + " → " + SampleEvents.digest('2')), facts::toString);
        assertTrue(facts.contains("Base image: mcr.microsoft.com/dotnet/aspnet:10.0"), facts::toString);
        assertTrue(facts.contains("Base digest: " + SampleEvents.digest('5') + " (previous not known)"), facts::toString);
        assertTrue(facts.contains("Triggered by: forced by alice"), facts::toString);
        assertTrue(facts.contains("Run: " + event.runId()), facts::toString);
        assertTrue(facts.containsAll(List.of("build: 2m 05s", "test: 44s", "publish: 850ms", "total: 2m 52s")), facts::toString);
        List<String> runs = textRuns(card);
        assertTrue(runs.contains("Dockerfile changed: <curl> & \"ca-certificates\""), runs::toString);
        assertTrue(texts(card).contains("Copy this into your Dockerfile"));
        assertTrue(runs.contains("FROM registry.example.com/platform/net10-runtime:10.0-noble-1.3.0@" + SampleEvents.digest('9')),
                runs::toString);
        AdaptiveCardValidator.assertValid(message.toString());
    }

    @Test
    void aScannedImagesCardShowsWhatItFixesAndIntroducesAndWhatIsLeft() {
        ImagePublished event = Events.published("net10/runtime").withScan(dev.freshen.events.ScanFindings
                .complete(java.util.Map.of("HIGH", 2, "MEDIUM", 5)).withDelta("10.0-noble-1.2.0",
                        new dev.freshen.events.ScanDelta(java.util.Map.of("CRITICAL", 1, "HIGH", 3), java.util.Map.of())));
        ObjectNode message = TeamsCards.message(event);
        List<String> facts = facts(card(message));
        assertTrue(facts.contains("Vulnerabilities: fixes 4 CVEs: 1 critical, 3 high; introduces 0 (against 10.0-noble-1.2.0)"),
                facts::toString);
        assertTrue(facts.contains("Scan: 2 high, 5 medium"), facts::toString);
        AdaptiveCardValidator.assertValid(message.toString());

        ImagePublished timedOut = Events.published("net10/runtime").withScan(dev.freshen.events.ScanFindings
                .without(dev.freshen.events.ScanFindings.TIMED_OUT, "no result after 10m 00s (ECR: in progress)"));
        List<String> noDelta = facts(card(TeamsCards.message(timedOut)));
        assertTrue(noDelta.contains("Scan: scan timed out: no result after 10m 00s (ECR: in progress)"), noDelta::toString);
        assertFalse(noDelta.stream().anyMatch(f -> f.startsWith("Vulnerabilities:")), noDelta::toString);
        AdaptiveCardValidator.assertValid(TeamsCards.message(timedOut).toString());
        assertFalse(facts(card(TeamsCards.message(Events.published("net10/runtime")))).stream()
                .anyMatch(f -> f.startsWith("Scan:")), "not scanned (not ECR): no scan line");
    }

    @Test
    void theFailedCardSaysWhereWhyShowsTheLogAndHowToRetry() {
        PipelineFailed event = Events.failed("net10/runtime", "step 1/3\n\nstep 2/3 *failed*\nexit code 3");
        ObjectNode message = TeamsCards.message(event);
        JsonNode card = card(message);

        assertEquals("❌ net10/runtime: run failed at test", card.at("/body/0/text").asText());
        assertEquals("Attention", card.at("/body/0/color").asText());
        List<String> facts = facts(card);
        assertTrue(facts.containsAll(List.of("Image: net10/runtime", "Stage: test", "Run: " + event.runId(),
                "Failure: permanent: fix the cause, then retry", "Triggered by: base image update")), facts::toString);
        List<String> runs = textRuns(card);
        assertTrue(runs.contains(event.reason()), "the reason as plain text, not markdown: " + runs);
        assertTrue(runs.containsAll(List.of("step 1/3", " ", "step 2/3 *failed*", "exit code 3")), runs::toString);
        assertTrue(runs.contains("freshen force-update net10/runtime --reason \"retry of run " + event.runId()
                + " (failed at test)\""), runs::toString);
        AdaptiveCardValidator.assertValid(message.toString());
    }

    /** The forced run's card: the bases it was built from, the full tag and the one it replaces, who asked. */
    @Test
    void aForcedRunsCardSaysWhatItWasBuiltFromWhatItReplacesAndWhoAsked() {
        ImagePublished event = Events.forcedPublished("net10/runtime", "api:ci-pipeline", "10.0-1.0.0");
        ObjectNode message = TeamsCards.message(event);
        JsonNode card = card(message);

        assertEquals("✅ Published net10/runtime 10.0-1.1.0", card.at("/body/0/text").asText());
        List<String> facts = facts(card);
        assertTrue(facts.containsAll(List.of("Version: 10.0-1.1.0", "Replaces: 10.0-1.0.0",
                "Base image: 127.0.0.1:5000/dotnet/runtime:10.0",
                "Base digest: " + SampleEvents.digest('2') + " (unchanged)",
                "Triggered by: forced by api:ci-pipeline")), facts::toString);
        assertFalse(facts.toString().contains("not known"), facts::toString);
        assertTrue(textRuns(card).contains("CVE-2026-1234 in openssl"), "the reason without escape codes: " + textRuns(card));
        AdaptiveCardValidator.assertValid(message.toString());

        JsonNode first = card(TeamsCards.message(Events.firstPublished("net10/runtime")));
        assertTrue(facts(first).containsAll(List.of("Version: 10.0-1.0.0", "Replaces: none (first version)",
                "Base digest: " + SampleEvents.digest('2') + " (first version)")), facts(first)::toString);
    }

    @Test
    void aFailedRunsCardSaysWhatToDoAndShowsTheLogWithoutEscapeCodes() {
        PipelineFailed event = Events.failed("net10/runtime", Events.COLOURED_LOG)
                .withProblem("app-exited", "\u001B[1mfix the app's configuration\u001B[0m, then force an update");
        ObjectNode message = TeamsCards.message(event);
        JsonNode card = card(message);

        List<String> runs = textRuns(card);
        assertEquals(runs.get(runs.indexOf("What to do: ") + 1), "fix the app's configuration, then force an update");
        assertTrue(runs.containsAll(List.of("FATAL: config missing", "Downloading 100%", "exit code    3")), runs::toString);
        Events.assertPlain(message.toString());
        AdaptiveCardValidator.assertValid(message.toString());
    }

    @Test
    void aHugeLogIsTrimmedToItsEndAndTheMessageStaysFarBelowTeamsLimit() {
        String log = IntStream.rangeClosed(1, 5_000).mapToObj(i -> "line " + i + " " + "x".repeat(i % 7 == 0 ? 900 : 60))
                .collect(Collectors.joining("\n"));
        PipelineFailed event = Events.failed("net10/runtime", log);
        ObjectNode message = TeamsCards.message(event);
        List<String> runs = textRuns(card(message));

        assertTrue(message.toString().getBytes(StandardCharsets.UTF_8).length < 20_000,
                "Teams refuses messages over 28 KB: " + message.toString().length());
        assertTrue(runs.stream().anyMatch(r -> r.matches("… \\d+ earlier lines trimmed")), runs::toString);
        assertTrue(runs.stream().anyMatch(r -> r.startsWith("line 5000 ")), "keeps the end of the log");
        assertFalse(runs.stream().anyMatch(r -> r.startsWith("line 1 ")), "drops the beginning");
        assertTrue(runs.stream().allMatch(r -> r.length() <= TeamsCards.LOG_LINE_CHARS), "long lines cut");
        AdaptiveCardValidator.assertValid(message.toString());
    }

    @Test
    void aFailureWithoutLogOrTriggerStillMakesAValidCard() {
        PipelineFailed bare = new PipelineFailed(SampleEvents.runId(), "net10/sdk", 1, Events.T0,
                dev.freshen.events.Stage.DETECT, dev.freshen.events.FailureKind.TRANSIENT_EXHAUSTED, "registry timed out",
                null, null);
        JsonNode card = card(TeamsCards.message(bare));
        assertTrue(facts(card).contains("Triggered by: unknown"));
        assertFalse(texts(card).contains("Log excerpt"));
        AdaptiveCardValidator.assertValid(TeamsCards.message(bare).toString());
    }

    @Test
    void theNotWatchedCardNamesEveryProblemWithWhereWhatAndWhatToDo() {
        ImageWatchChanged event = Events.notWatched("net10/runtime");
        ObjectNode message = TeamsCards.message(event);
        JsonNode card = card(message);

        assertEquals("⚠️ net10/runtime is not watched any more", card.at("/body/0/text").asText());
        assertEquals("Attention", card.at("/body/0/color").asText());
        List<String> runs = textRuns(card);
        assertTrue(runs.contains("Its descriptor has 2 problems, so the image is neither checked nor built until they "
                + "are fixed. What was published stays as it is."), runs::toString);
        assertTrue(runs.contains("net10/runtime/platform-image.yaml line 12, column 1: "), runs::toString);
        assertTrue(runs.contains("unknown key 'notfy' at the top level: did you mean notify?"), runs::toString);
        assertTrue(runs.contains("→ Rename it to notify."), runs::toString);
        assertTrue(runs.contains("→ Write \"0 */15 * * * ?\" (every 15 minutes) or leave schedule out; <b>not</b> "
                + "markdown & not HTML"), "hints are plain text runs: " + runs);
        assertTrue(runs.stream().anyMatch(r -> r.startsWith("Fix net10/runtime/platform-image.yaml as each problem says.")), runs::toString);
        List<String> facts = facts(card);
        assertTrue(facts.containsAll(List.of("Image: net10/runtime", "State: invalid: not checked, not built",
                "Before: watched", "Last published: " + event.lastPublished(), "Change: " + event.runId())), facts::toString);
        AdaptiveCardValidator.assertValid(message.toString());

        JsonNode again = card(TeamsCards.message(Events.watchedAgain(event)));
        assertEquals("✅ net10/runtime is watched again", again.at("/body/0/text").asText());
        assertTrue(facts(again).contains("State: watched"));
        assertFalse(texts(again).contains("To have it watched again"));
        AdaptiveCardValidator.assertValid(TeamsCards.message(Events.watchedAgain(event)).toString());
    }

    @Test
    void aNewImageInvalidFromTheStartAndAStateFromANewerWatcherStillMakeValidCards() {
        ImageWatchChanged invalid = Events.notWatched("team/web");
        List<ImageWatchChanged.Problem> many = new ArrayList<>();
        IntStream.range(0, 30).forEach(i -> many.add(invalid.problems().get(i % 2)));
        ImageWatchChanged fresh = new ImageWatchChanged(invalid.runId(), "team/web", 1, Events.T0, invalid.state(), null,
                many, null);
        JsonNode card = card(TeamsCards.message(fresh));
        assertEquals("⚠️ team/web is not watched", card.at("/body/0/text").asText());
        assertTrue(facts(card).contains("Last published: nothing known"));
        assertTrue(textRuns(card).contains("… and 10 more problems"), textRuns(card)::toString);
        AdaptiveCardValidator.assertValid(TeamsCards.message(fresh).toString());

        ImageWatchChanged newer = new ImageWatchChanged(invalid.runId(), "team/web", 1, Events.T0,
                dev.freshen.events.WatchState.of("checks-failing"), null, List.of(), null);
        assertEquals("team/web: now checks failing", card(TeamsCards.message(newer)).at("/body/0/text").asText());
        AdaptiveCardValidator.assertValid(TeamsCards.message(newer).toString());
    }

    @Test
    void theEnvelopeIsTheOneWorkflowsAndLegacyWebhooksAccept() {
        ObjectNode message = TeamsCards.message(SampleEvents.imagePublished());
        assertEquals("message", message.get("type").asText());
        assertEquals(1, message.get("attachments").size());
        assertEquals("application/vnd.microsoft.card.adaptive", message.at("/attachments/0/contentType").asText());
        assertTrue(message.at("/attachments/0/contentUrl").isNull());
        assertEquals("AdaptiveCard", message.at("/attachments/0/content/type").asText());
        AdaptiveCardValidator.assertValid(message.toString());
    }

    /** A base whose Dockerfile reference was pinned by tag and digest: the card says to which digest it was pinned. */
    @Test
    void aBaseThatTheDockerfilePinnedSaysWhatItWasPinnedTo() {
        ImagePublished e = SampleEvents.imagePublished();
        ImagePublished event = new ImagePublished(e.runId(), e.imageId(), e.attempt(), e.occurredAt(), e.trigger(),
                e.baseImages().stream().map(b -> b.withPinnedInDockerfile(SampleEvents.digest('0'))).toList(), e.image(),
                e.version(), e.tags(), e.timings());
        ObjectNode message = TeamsCards.message(event);

        List<String> facts = facts(card(message));
        String digest = facts.stream().filter(f -> f.startsWith("Base digest: ")).findFirst().orElseThrow();
        assertTrue(digest.endsWith("; the Dockerfile was pinned to " + SampleEvents.digest('0')), digest);
        assertFalse(facts(card(TeamsCards.message(e))).stream().anyMatch(f -> f.contains("was pinned to")),
                "a base by tag alone says nothing of it");
        AdaptiveCardValidator.assertValid(message.toString());
    }

    @Test
    void theRolledBackCardSaysWhereTheTagsAreNowFromWhereWhoAskedWhyAndWhatHappensNext() {
        var event = Events.rolledBack("net10/runtime", "1.3.0 breaks <TLS> & \"payments\"");
        ObjectNode message = TeamsCards.message(event);
        JsonNode card = card(message);

        assertEquals("⏪ net10/runtime rolled back to 10.0-noble-1.2.0", card.at("/body/0/text").asText());
        assertEquals("Warning", card.at("/body/0/color").asText());
        List<String> facts = facts(card);
        assertTrue(facts.containsAll(List.of("Image: net10/runtime", "Now: 10.0-noble-1.2.0",
                "Before: 10.0-noble-1.3.0", "Newest version: 10.0-noble-1.3.0", "Tags moved: 10.0, latest",
                "Requested by: api:ops", "Rollback: " + event.runId(), "Rolled back at: 2025-01-14 09:00:00 UTC",
                "Image URI: registry.example.com/platform/net10-runtime:10.0-noble-1.2.0@" + SampleEvents.digest('8'))),
                facts::toString);
        List<String> runs = textRuns(card);
        assertTrue(runs.contains("1.3.0 breaks <TLS> & \"payments\""), "the reason as plain text: " + runs);
        assertTrue(runs.stream().anyMatch(r -> r.startsWith("Nothing was rebuilt, and the watcher does not rebuild over "
                + "the rollback") && r.endsWith("'freshen rollback net10/runtime --to 10.0-noble-1.3.0'.")), runs::toString);
        assertTrue(runs.contains("FROM registry.example.com/platform/net10-runtime:10.0-noble-1.2.0@"
                + SampleEvents.digest('8')), runs::toString);
        AdaptiveCardValidator.assertValid(message.toString());

        AdaptiveCardValidator.assertValid(TeamsCards.message(Events.rolledBack("net10/runtime", null)).toString());
    }

    @Test
    void theChecksFailingCardSaysWhyWhatItMeansSinceWhenAndWhatToDoForItsKindOfProblem() {
        var event = Events.checksFailed("net10/runtime", "registry-auth-failed",
                "registry mcr.microsoft.com answered 401 <Unauthorized> & \"denied\"");
        ObjectNode message = TeamsCards.message(event);
        JsonNode card = card(message);

        assertEquals("⚠️ net10/runtime: checks failing", card.at("/body/0/text").asText());
        assertEquals("Attention", card.at("/body/0/color").asText());
        List<String> facts = facts(card);
        assertTrue(facts.containsAll(List.of("Image: net10/runtime", "Failing since: 2025-01-14 09:00:00 UTC",
                "Failed checks: 3 in a row", "Problem: registry-auth-failed", "Streak: " + event.runId())), facts::toString);
        List<String> runs = textRuns(card);
        assertTrue(runs.contains("registry mcr.microsoft.com answered 401 <Unauthorized> & \"denied\""),
                "the reason as plain text: " + runs);
        assertTrue(runs.stream().anyMatch(r -> r.startsWith("3 checks in a row of net10/runtime failed, the first at "
                + "2025-01-14 09:00:00 UTC: while its checks fail")), runs::toString);
        assertTrue(runs.stream().anyMatch(r -> r.startsWith("The registry refused the watcher's credentials")
                && r.endsWith("To check again now: freshen check net10/runtime. 'freshen status net10/runtime' shows "
                + "the last failure.")), runs::toString);
        AdaptiveCardValidator.assertValid(message.toString());

        for (String code : List.of("base-image-missing", "registry-unreachable", "registry-error", "check-failed",
                "quota-exceeded")) {
            ObjectNode other = TeamsCards.message(Events.checksFailed("net10/runtime", code, "x"));
            assertTrue(other.toString().contains("To check again now"), code);
            AdaptiveCardValidator.assertValid(other.toString());
        }
    }

    @Test
    void theChecksRecoveredCardSaysSinceWhenHowLongAndHowMany() {
        var event = Events.checksRecovered(Events.checksFailed("net10/runtime", "registry-error", "503"));
        ObjectNode message = TeamsCards.message(event);
        JsonNode card = card(message);

        assertEquals("✅ net10/runtime: checks pass again", card.at("/body/0/text").asText());
        assertEquals("Good", card.at("/body/0/color").asText());
        List<String> facts = facts(card);
        assertTrue(facts.containsAll(List.of("Image: net10/runtime", "Failing since: 2025-01-14 09:00:00 UTC",
                "Recovered at: 2025-01-14 10:05:00 UTC", "Failed for: 1h 05m", "Failed checks: 5",
                "Streak: " + event.runId())), facts::toString);
        assertTrue(textRuns(card).stream().anyMatch(r -> r.startsWith("A check of net10/runtime passed at 2025-01-14 "
                + "10:05:00 UTC, after 5 failed checks in a row")), textRuns(card)::toString);
        AdaptiveCardValidator.assertValid(message.toString());
    }

    @Test
    void aFailedRollbackSaysSoAndHowToTryAgain() {
        PipelineFailed event = Events.failedRollback("net10/runtime");
        ObjectNode message = TeamsCards.message(event);
        JsonNode card = card(message);

        assertEquals("❌ net10/runtime: rollback failed", card.at("/body/0/text").asText());
        assertTrue(facts(card).contains("Triggered by: rollback by api:ops"), facts(card)::toString);
        assertTrue(textRuns(card).contains("freshen rollback net10/runtime --reason \"retry of rollback " + event.runId()
                + "\""), textRuns(card)::toString);
        AdaptiveCardValidator.assertValid(message.toString());
    }

    @Test
    void aChildsCardSaysWhichParentPublishedAndADefinitionChangeListsTheFilesAndCommits() {
        ImagePublished child = Events.withTrigger(Events.published("team/app"), Events.parentPublished());
        ObjectNode message = TeamsCards.message(child);
        JsonNode card = card(message);
        assertTrue(facts(card).contains("Triggered by: base/runtime published 10.0-1.3.0 (run " + Events.PARENT_RUN + ")"),
                facts(card)::toString);
        assertFalse(texts(card).contains("What changed"), "no definition change: no list");
        AdaptiveCardValidator.assertValid(message.toString());

        ImagePublished changed = Events.withTrigger(Events.published("base/aspnet"), Events.definitionChanged(12, 0, 6, 0));
        message = TeamsCards.message(changed);
        card = card(message);
        assertTrue(facts(card).contains("Triggered by: definition changed"), facts(card)::toString);
        List<String> texts = texts(card);
        assertTrue(texts.containsAll(List.of("What changed", "Commits")), texts::toString);
        List<String> runs = textRuns(card);
        assertTrue(runs.containsAll(List.of("Dockerfile (modified)", "app/file-2.sh (executable bit)", "… and 2 more files",
                "aaaaaaa Pin *curl* & <openssl> 0 (Alice <b>0)", "… and 1 more commit")), runs::toString);
        assertTrue(runs.indexOf("Dockerfile (modified)") < runs.indexOf("aaaaaaa Pin *curl* & <openssl> 0 (Alice <b>0)"));
        Events.assertPlain(message.toString());
        AdaptiveCardValidator.assertValid(message.toString());
    }

    @Test
    void aParentsFailedCardListsTheImagesHeldBackAndWhatChanged() {
        PipelineFailed failed = Events.withTrigger(Events.failed("base/aspnet", "exit 3"),
                Events.definitionChanged(1, 0, 1, 0).withDependents(List.of("team/app", "team/web")));
        ObjectNode message = TeamsCards.message(failed);
        JsonNode card = card(message);
        assertTrue(facts(card).containsAll(List.of("Triggered by: definition changed",
                "Held back: team/app, team/web wait for this image's next publish")), facts(card)::toString);
        assertTrue(textRuns(card).containsAll(List.of("Dockerfile (modified)", "aaaaaaa Pin *curl* & <openssl> 0 (Alice <b>0)")),
                textRuns(card)::toString);
        AdaptiveCardValidator.assertValid(message.toString());

        assertFalse(facts(card(TeamsCards.message(Events.failed("base/aspnet", "x")))).stream()
                .anyMatch(f -> f.startsWith("Held back")), "nothing held back: no fact");
    }

    static JsonNode card(JsonNode message) {
        return message.at("/attachments/0/content");
    }

    /** "title: value" of every fact in the card. */
    static List<String> facts(JsonNode card) {
        List<String> all = new ArrayList<>();
        card.findValues("facts").forEach(set -> set.forEach(f -> all.add(f.get("title").asText() + ": " + f.get("value").asText())));
        return all;
    }

    static List<String> textRuns(JsonNode card) {
        List<String> all = new ArrayList<>();
        card.findValues("inlines").forEach(inlines -> inlines.forEach(r -> all.add(r.get("text").asText())));
        return all;
    }

    static List<String> texts(JsonNode card) {
        List<String> all = new ArrayList<>();
        card.get("body").forEach(b -> {
            if (b.has("text")) {
                all.add(b.get("text").asText());
            }
        });
        return all;
    }
}
