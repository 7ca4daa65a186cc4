package dev.freshen.notifier;

import dev.freshen.events.FailureKind;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.Trigger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
    void valuesANewerVersionAddedAreShownByTheirIds() {
        Trigger parent = new Trigger(Trigger.Kind.of("parent-published"), "parent 1.4.0", "bob");
        assertEquals("parent published", OutcomeText.trigger(parent));
        assertNull(OutcomeText.forcedReason(parent));
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
}
