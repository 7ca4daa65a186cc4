package dev.freshen.notifier;

import dev.freshen.events.BaseImage;
import dev.freshen.events.BasePlatform;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutcomeTextTest {

    @Test
    void durationsReadLikeAPersonWouldSayThem() {
        assertEquals("850ms", OutcomeText.duration(Duration.ofMillis(850)));
        assertEquals("45s", OutcomeText.duration(Duration.ofSeconds(45)));
        assertEquals("2m 05s", OutcomeText.duration(Duration.ofSeconds(125)));
        assertEquals("1h 02m", OutcomeText.duration(Duration.ofMinutes(62)));
    }

    @Test
    void momentsAreShownToTheSecondInUtc() {
        assertEquals("2026-11-30 19:28:59 UTC", OutcomeText.time(java.time.Instant.parse("2026-11-30T19:28:59.015310838Z")));
    }

    @Test
    void aBaseCheckThatPublishedAnImagesFirstVersionSaysSo() {
        ImagePublished first = Events.simplePublished("net10/runtime");
        assertEquals("first version (a new image)", OutcomeText.trigger(first));
        ImagePublished next = new ImagePublished(first.runId(), first.imageId(), 1, first.occurredAt(), first.trigger(),
                first.baseImages(), first.image(), first.version(), first.tags(), first.timings(), "10.0-1.0.0");
        assertEquals("base image update", OutcomeText.trigger(next));
        assertEquals("forced by alice", OutcomeText.trigger(Events.published("net10/runtime")));
    }

    @Test
    void triggersSayWhatStartedTheRun() {
        assertEquals("base image update", OutcomeText.trigger(Trigger.baseImageUpdated()));
        assertEquals("forced by alice", OutcomeText.trigger(Trigger.forced("why", "alice")));
        assertEquals("forced", OutcomeText.trigger(Trigger.forced("why", null)));
        assertEquals("why", OutcomeText.forcedReason(Trigger.forced("why", null)));
        assertNull(OutcomeText.forcedReason(Trigger.baseImageUpdated()));
    }

    @Test
    void aParentsPublishAndADefinitionChangeSayWhoPublishedWhatAndWhatChanged() {
        assertEquals("base/runtime published 10.0-1.3.0 (run " + Events.PARENT_RUN + ")",
                OutcomeText.trigger(Events.parentPublished()));
        Trigger unknownRun = Trigger.parentPublished(new Trigger.Parent("base/runtime", null, null,
                dev.freshen.events.image.ImageReference.parse("registry.example.com/platform/dotnet:runtime-10.0")));
        assertEquals("base/runtime published runtime-10.0", OutcomeText.trigger(unknownRun),
                "no version, no run known: the tag it moved");
        assertEquals("definition changed", OutcomeText.trigger(Events.definitionChanged(1, 0, 0, 0)));
        assertNull(OutcomeText.forcedReason(Events.parentPublished()));
        assertEquals(List.of(), OutcomeText.changes(Events.parentPublished()), "no definition change, nothing to list");
        assertEquals(List.of(), OutcomeText.commits(Trigger.forced("why", "alice")));
    }

    @Test
    void atMostTenFilesAreListedWithTheirChangeAndTheRestCounted() {
        assertEquals(List.of("Dockerfile (modified)", "app/file-1.sh (added)", "app/file-2.sh (executable bit)",
                "app/file-3.sh (removed)"), OutcomeText.changes(Events.definitionChanged(4, 0, 0, 0)));
        List<String> many = OutcomeText.changes(Events.definitionChanged(12, 38, 0, 0));
        assertEquals(11, many.size(), many::toString);
        assertEquals("app/file-9.sh (added)", many.get(9));
        assertEquals("… and 40 more files", many.get(10), "2 not shown here + 38 the watcher left out");
        assertEquals(List.of("Dockerfile (modified)", "… and 1 more file"),
                OutcomeText.changes(Events.definitionChanged(1, 1, 0, 0)));
        Trigger settings = Trigger.definitionChanged(new Trigger.DefinitionChange("sha256:" + "c".repeat(64),
                "sha256:" + "b".repeat(64), List.of(new Trigger.FileChange("platform-image.yaml", "modified"),
                new Trigger.FileChange("x/platform-image.yaml", "renamed-away")), 0, List.of(), 0));
        assertEquals(List.of("platform-image.yaml build settings (modified)", "x/platform-image.yaml (renamed away)"),
                OutcomeText.changes(settings), "a change a newer watcher added: in words from its id");
    }

    @Test
    void aDefinitionWhoseFilesAreNotKnownSaysWhy() {
        Trigger unlisted = Trigger.definitionChanged(new Trigger.DefinitionChange("sha256:" + "c".repeat(64),
                "sha256:" + "b".repeat(64), List.of(), 0, List.of(), 0));
        assertEquals(List.of("which files changed is not known: the published image does not list its files (too many)"),
                OutcomeText.changes(unlisted));
        Trigger unlabelled = Trigger.definitionChanged(new Trigger.DefinitionChange("sha256:" + "c".repeat(64), null,
                List.of(), 0, List.of(), 0));
        assertEquals(List.of("nothing to compare with: the published image carries no definition label"),
                OutcomeText.changes(unlabelled));
    }

    @Test
    void atMostFiveCommitsAreListedAsGitLogOnelineShowsThemWithTheirAuthor() {
        List<String> commits = OutcomeText.commits(Events.definitionChanged(1, 0, 7, 13));
        assertEquals(6, commits.size(), commits::toString);
        assertEquals("aaaaaaa Pin *curl* & <openssl> 0 (Alice <b>0)", commits.get(0), "escape codes removed, text kept");
        assertEquals("eeeeeee Pin *curl* & <openssl> 4 (Alice <b>4)", commits.get(4));
        assertEquals("… and 15 more commits", commits.get(5));
        Trigger bare = Trigger.definitionChanged(new Trigger.DefinitionChange("sha256:" + "c".repeat(64), null,
                List.of(), 0, List.of(new Trigger.Commit("abc", null, null)), 0));
        assertEquals(List.of("abc"), OutcomeText.commits(bare));
        assertEquals(List.of(), OutcomeText.commits(Events.definitionChanged(2, 0, 0, 0)), "folder not in git: none");
    }

    @Test
    void aFailedRunNamesTheImagesItHoldsBackButAFailedRollbackNone() {
        PipelineFailed failed = Events.failed("base/runtime", "log");
        assertNull(OutcomeText.heldBack(failed), "no dependents");
        assertEquals("base/aspnet, team/app wait for this image's next publish", OutcomeText.heldBack(
                Events.withTrigger(failed, Trigger.baseImageUpdated().withDependents(List.of("base/aspnet", "team/app")))));
        assertEquals("team/app waits for this image's next publish", OutcomeText.heldBack(
                Events.withTrigger(failed, Trigger.forced("why", "alice").withDependents(List.of("team/app")))));
        List<String> many = java.util.stream.IntStream.range(0, 14).mapToObj(i -> "team/app-" + i).toList();
        String held = OutcomeText.heldBack(Events.withTrigger(failed, Trigger.baseImageUpdated().withDependents(many)));
        assertTrue(held.startsWith("team/app-0, team/app-1, "), held);
        assertTrue(held.endsWith("team/app-9 and 4 more wait for this image's next publish"), held);
        PipelineFailed rollback = Events.failedRollback("base/runtime");
        assertNull(OutcomeText.heldBack(Events.withTrigger(rollback,
                Trigger.rollback("x", "api:ops").withDependents(List.of("team/app")))), "a rollback holds nothing back");
    }

    @Test
    void valuesANewerVersionAddedAreShownByTheirIds() {
        Trigger parent = new Trigger(Trigger.Kind.of("base-rebuilt"), "parent 1.4.0", "bob");
        assertEquals("base rebuilt", OutcomeText.trigger(parent));
        assertNull(OutcomeText.forcedReason(parent));
        assertEquals("parent published", OutcomeText.trigger(new Trigger(Trigger.Kind.PARENT_PUBLISHED, null, null)),
                "without its parent (not written by a watcher): the kind in words");
        assertEquals("permanent: fix the cause, then retry", OutcomeText.failureKind(FailureKind.of("permanent")));
        assertEquals("failed (quota-exceeded)", OutcomeText.failureKind(FailureKind.of("quota-exceeded")));
    }

    @Test
    void theLogTailKeepsTheLastLinesAndSaysHowManyWereDropped() {
        assertEquals(List.of("a", "b"), OutcomeText.logTail("a\nb\n", 10, 100, 100));
        assertEquals(List.of("… 2 earlier lines trimmed", "c", "d"), OutcomeText.logTail("a\nb\nc\nd", 2, 100, 100));
        assertEquals(List.of("… 1 earlier line trimmed", "bbbb"), OutcomeText.logTail("aaaa\nbbbb", 10, 6, 100));
        assertEquals(List.of("abc…"), OutcomeText.logTail("abcdefgh", 10, 100, 4));
    }

    @Test
    void escapeCodesAndControlCharactersAreRemovedLineFeedsKept() {
        assertEquals("FATAL: config missing", OutcomeText.plain("\u001B[31;1mFATAL\u001B[0m: config missing"));
        assertEquals("title gone", OutcomeText.plain("\u001B]0;my title\u0007title gone"));
        assertEquals("link", OutcomeText.plain("\u001B]8;;https://example.com\u001B\\link\u001B]8;;\u001B\\"));
        assertEquals("8-bit csi", OutcomeText.plain("\u009B1m8-bit csi\u009B0m"));
        assertEquals("charset", OutcomeText.plain("\u001B(Bcharset\u001B="));
        assertEquals("dcs", OutcomeText.plain("\u001BPq#0;2;0;0;0\u001B\\dcs"));
        assertEquals("Downloading 100%\nnext", OutcomeText.plain("Downloading 10%\rDownloading 100%\r\nnext"));
        assertEquals("a    b", OutcomeText.plain("a\tb\u0000\u0007\u0008"));
        assertEquals("abc", OutcomeText.plain("a\u202Eb\u2066c"), "no text reordering");
        assertEquals("trailing", OutcomeText.plain("trailing\u001B"));
        assertEquals("line 1\n\nline 3", OutcomeText.plain("line 1\n\nline 3"));
        assertEquals("naïve ✅ 日本", OutcomeText.plain("naïve ✅ 日本"), "text itself is kept");
        assertNull(OutcomeText.plain(null));
    }

    @Test
    void everyFreeTextOfAnEventGoesThroughTheSameSanitizer() {
        Trigger coloured = Trigger.forced("\u001B[1mCVE\u001B[0m", "cli:\u001B[1malice");
        assertEquals("CVE", OutcomeText.forcedReason(coloured));
        assertEquals("forced by cli:alice", OutcomeText.trigger(coloured));
        assertEquals(List.of("red", "green"), OutcomeText.logTail("\u001B[31mred\u001B[0m\n\u001B[32mgreen", 10, 100, 100));
    }

    @Test
    void aBasePinnedAgainByTheRunSaysWhatTheDockerfileWasPinnedTo() {
        ImagePublished event = dev.freshen.testing.SampleEvents.imagePublished();
        var base = event.baseImages().get(0);
        var written = dev.freshen.testing.SampleEvents.digest('0');
        assertEquals(OutcomeText.baseDigest(base, event) + "; the Dockerfile was pinned to " + written,
                OutcomeText.baseDigest(base.withPinnedInDockerfile(written), event));
        assertEquals(OutcomeText.baseDigest(base, event), OutcomeText.baseDigest(base.withPinnedInDockerfile(base.digest()), event),
                "pinned to the digest it was built from: nothing to say");
    }

    @Test
    void aBaseResolvedForAPlatformSaysWhichPlatformMoved() {
        ImagePublished event = dev.freshen.testing.SampleEvents.imagePublished();
        var before = dev.freshen.testing.SampleEvents.digest('1');
        var after = dev.freshen.testing.SampleEvents.digest('2');
        var base = new dev.freshen.events.BaseImage(event.baseImages().get(0).reference(), after, before,
                dev.freshen.events.image.Platform.parse("linux/arm64/v8"));
        assertEquals("linux/arm64: " + before + " → " + after, OutcomeText.baseDigest(base, event));
    }
    @Test
    void aMultiPlatformPublishNamesItsPlatformsInTheTitle() {
        ImagePublished one = Events.simplePublished("net10/runtime");
        assertEquals("Published net10/runtime " + one.image().tag(), OutcomeText.publishedTitle(one));
        assertNull(OutcomeText.platforms(one), "one platform: a plain manifest, nothing to say");

        ImagePublished both = one.withManifests(List.of(
                new PlatformDigest(Platform.LINUX_AMD64, dev.freshen.testing.SampleEvents.digest('a')),
                new PlatformDigest(Platform.parse("linux/arm64"), dev.freshen.testing.SampleEvents.digest('b'))));
        assertEquals("Published net10/runtime " + one.image().tag() + " for linux/amd64, linux/arm64",
                OutcomeText.publishedTitle(both));
    }

    @Test
    void aBaseOfAMultiPlatformImageHasALinePerPlatformSayingWhichMoved() {
        ImagePublished event = dev.freshen.testing.SampleEvents.imagePublished();
        var amd64 = dev.freshen.testing.SampleEvents.digest('1');
        var arm64Before = dev.freshen.testing.SampleEvents.digest('2');
        var arm64After = dev.freshen.testing.SampleEvents.digest('3');
        var base = new BaseImage(event.baseImages().get(0).reference(), amd64, amd64, Platform.LINUX_AMD64)
                .withPlatforms(List.of(new BasePlatform(Platform.LINUX_AMD64, amd64, amd64),
                        new BasePlatform(Platform.parse("linux/arm64"), arm64After, arm64Before)));

        assertEquals(List.of("linux/amd64: " + amd64 + " (unchanged)", "linux/arm64: " + arm64Before + " → " + arm64After),
                OutcomeText.baseDigests(base, event));

        var pinned = dev.freshen.testing.SampleEvents.digest('0');
        assertEquals(List.of("linux/amd64: " + amd64 + " (unchanged); the Dockerfile was pinned to " + pinned,
                "linux/arm64: " + arm64Before + " → " + arm64After),
                OutcomeText.baseDigests(base.withPinnedInDockerfile(pinned), event));
        assertEquals(List.of(OutcomeText.baseDigest(event.baseImages().get(0), event)),
                OutcomeText.baseDigests(event.baseImages().get(0), event), "one platform: one line, as before");
    }
}
