package dev.freshen.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunFormatTest {

    private static final String CANDIDATE = "127.0.0.1:5000/platform/net10-runtime@sha256:" + "3".repeat(64);

    @Test
    void aRunReadsAsHeaderStagesAndOutcome() {
        RunView run = RunView.of(RunViewTest.published(RunViewTest.RUN));
        assertEquals("run " + RunViewTest.RUN + " of net10/runtime, forced by cli:alice: CVE-2026-1, started "
                + "2026-11-27T10:00:00Z", RunFormat.header(run));
        assertEquals(List.of(
                "   0:00  detect   forced by cli:alice: CVE-2026-1",
                "   0:40  build    built " + CANDIDATE + ", 1 warning",
                "   1:10  test     verified " + CANDIDATE + " (1 check passed)",
                "   1:15  publish  published 127.0.0.1:5000/platform/net10-runtime:10.0-1.0.0@sha256:" + "3".repeat(64)),
                RunFormat.timeline(run));
        assertEquals("published 127.0.0.1:5000/platform/net10-runtime:10.0-1.0.0@sha256:" + "3".repeat(64) + " after 1:15",
                RunFormat.outcome(run));
    }

    @Test
    void aFailureNamesStageKindAndReason() {
        RunView run = new RunView("f-0001", "net10/runtime", RunView.FAILED, null, RunViewTest.T0,
                RunViewTest.T0.plusSeconds(72), null,
                new RunView.Failure("test", "permanent", "GET /healthz answered 500, expected 200", RunViewTest.T0.plusSeconds(72)),
                null, List.of());
        assertEquals("failed at test (permanent) after 1:12: GET /healthz answered 500, expected 200", RunFormat.outcome(run));
    }

    @Test
    void aLaterOutcomeThatToldOtherwiseIsShownBesideTheFirst() {
        RunView run = new RunView("f-0001", "net10/runtime", RunView.FAILED, null, RunViewTest.T0,
                RunViewTest.T0.plusSeconds(7200), null,
                new RunView.Failure("build", "timed-out", "no answer from the build stage within 2h 00m", RunViewTest.T0.plusSeconds(7200)),
                new RunView.Superseded(RunView.PUBLISHED, "10.0-1.3.0", RunViewTest.T0.plusSeconds(7300)), List.of());
        assertEquals("failed at build (timed-out) after 2:00:00: no answer from the build stage within 2h 00m; later superseded: "
                + "published 10.0-1.3.0", RunFormat.outcome(run));
    }

    @Test
    void theStageInProgressIsTheOneAfterTheLastEntry() {
        List<dev.freshen.events.FreshenEvent> events = RunViewTest.published(RunViewTest.RUN);
        assertEquals("waiting", RunFormat.next(null));
        assertEquals("build", RunFormat.next(RunView.of(events.subList(0, 1))));
        assertEquals("test", RunFormat.next(RunView.of(events.subList(0, 2))));
        assertEquals("publish", RunFormat.next(RunView.of(events.subList(0, 3))));
        assertEquals("in flight (test)", RunFormat.outcome(RunView.of(events.subList(0, 2))));
        assertEquals("   0:53  test     running…", RunFormat.progress(RunView.of(events.subList(0, 2)), Duration.ofSeconds(53)));
    }

    @Test
    void durationsAreClockLikeNeverIso() {
        assertEquals("0:00", RunFormat.elapsed(Duration.ZERO));
        assertEquals("0:05", RunFormat.elapsed(Duration.ofMillis(5900)));
        assertEquals("12:41", RunFormat.elapsed(Duration.ofSeconds(761)));
        assertEquals("1:02:09", RunFormat.elapsed(Duration.ofSeconds(3729)));
        assertEquals("0:00", RunFormat.elapsed(Duration.ofSeconds(-3)), "clock skew between hosts");
        assertEquals("30m", RunFormat.span(Duration.ofMinutes(30)));
        assertEquals("2h", RunFormat.span(Duration.ofHours(2)));
        assertEquals("1h30m", RunFormat.span(Duration.ofMinutes(90)));
        assertEquals("90s", RunFormat.span(Duration.ofSeconds(90)));
    }
    @Test
    void aBaseUpdateOfAMultiPlatformImageNamesThePlatformsThatMoved() {
        String base = "127.0.0.1:5000/dotnet/runtime:10.0";
        String a = "sha256:" + "a".repeat(64);
        String b = "sha256:" + "b".repeat(64);
        String c = "sha256:" + "c".repeat(64);
        RunView.Entry arm64Moved = new RunView.Entry("BASE_IMAGE_UPDATED", "detect", RunViewTest.T0, 1, List.of(
                new RunView.Base(base, a, a, List.of(new RunView.PlatformBase("linux/amd64", a, a),
                        new RunView.PlatformBase("linux/arm64", c, b)))),
                null, null, null, null, null, null, null, null, null);
        assertEquals("base image updated: " + base + " (linux/arm64) sha256:bbbbbbbbbbbb -> sha256:cccccccccccc",
                RunFormat.describe(arm64Moved));
        RunView.Entry single = new RunView.Entry("BASE_IMAGE_UPDATED", "detect", RunViewTest.T0, 1,
                List.of(new RunView.Base(base, b, null)), null, null, null, null, null, null, null, null, null);
        assertEquals("base image updated: " + base + " (never built) -> sha256:bbbbbbbbbbbb", RunFormat.describe(single));
    }
}
