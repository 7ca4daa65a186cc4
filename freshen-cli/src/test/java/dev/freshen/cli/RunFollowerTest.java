package dev.freshen.cli;

import dev.freshen.events.FreshenEvent;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunFollowerTest {

    /** A clock the scripted source moves forward by each poll's wait. */
    static final class FakeClock extends Clock {
        Instant now = RunViewTest.T0.plusSeconds(1);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Hands out the run as it grows, one snapshot per poll (null: nothing known yet); then the last one forever. */
    static final class Scripted implements RunFollower.Source {
        final List<RunView> snapshots = new java.util.ArrayList<>();
        final FakeClock clock;
        int next;
        boolean closed;

        Scripted(FakeClock clock) {
            this.clock = clock;
        }

        @Override
        public RunView poll(Duration wait) {
            clock.now = clock.now.plus(wait);
            return snapshots.get(Math.min(next++, snapshots.size() - 1));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final FakeClock clock = new FakeClock();
    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text);

    @Test
    void notOnATerminalEachStageIsOneLineAndNothingElse() {
        Scripted source = growing(RunViewTest.published(RunViewTest.RUN));
        RunView run = new RunFollower(source, out, false, true, clock).follow(RunViewTest.RUN, Duration.ofMinutes(30));

        assertEquals(RunView.PUBLISHED, run.state());
        assertEquals(String.join(System.lineSeparator(), RunFormat.timeline(run)) + System.lineSeparator(), text.toString());
        assertFalse(text.toString().contains("\r"));
    }

    @Test
    void onATerminalALiveLineShowsTheStageAndIsClearedBeforeEachStageLine() {
        Scripted source = growing(RunViewTest.published(RunViewTest.RUN));
        new RunFollower(source, out, true, true, clock).follow(RunViewTest.RUN, Duration.ofMinutes(30));

        String shown = text.toString();
        assertTrue(shown.contains("\r   0:01  waiting  waiting for the run's first event…"), shown);
        assertTrue(shown.contains("\r      "), "the live line is blanked out");
        assertTrue(shown.contains("build    running…"), shown);
        // what stays on the screen once each \r has overwritten the line: the stage lines only
        String screen = java.util.Arrays.stream(shown.split("\n")).map(l -> l.substring(l.lastIndexOf('\r') + 1).stripTrailing())
                .filter(l -> !l.isEmpty()).reduce((a, b) -> a + "\n" + b).orElse("");
        assertEquals(String.join("\n", RunFormat.timeline(RunView.of(RunViewTest.published(RunViewTest.RUN)))), screen);
    }

    @Test
    void aFailedRunEndsTheFollowToo() {
        List<FreshenEvent> events = new java.util.ArrayList<>(RunViewTest.published(RunViewTest.RUN).subList(0, 2));
        events.add(new dev.freshen.events.PipelineFailed(RunViewTest.RUN, "net10/runtime", 1, RunViewTest.T0.plusSeconds(72),
                dev.freshen.events.Stage.TEST, dev.freshen.events.FailureKind.PERMANENT, "GET /healthz answered 500", null, null));
        RunView run = new RunFollower(growing(events), out, false, true, clock).follow(RunViewTest.RUN, Duration.ofMinutes(30));
        assertEquals(RunView.FAILED, run.state());
        assertEquals(1, Follow.exitCode(run));
        assertTrue(text.toString().contains("test     failed (permanent): GET /healthz answered 500"), text.toString());
    }

    @Test
    void theTimeOutNamesTheStageAndHowToGoOn() {
        Scripted source = growing(RunViewTest.published(RunViewTest.RUN).subList(0, 2));
        CliException e = assertThrows(CliException.class,
                () -> new RunFollower(source, out, false, true, clock).follow(RunViewTest.RUN, Duration.ofSeconds(90)));
        assertEquals("run " + RunViewTest.RUN + " is still in test after 90s (--timeout); the run goes on: follow it with "
                + "'freshen runs " + RunViewTest.RUN + " --follow'", e.getMessage());
        assertEquals(RunViewTest.T0.plusSeconds(91), clock.now, "gave up when the time-out was reached, not before");
    }

    @Test
    void quietPrintsNothingAndReturnsTheRun() {
        RunView run = new RunFollower(growing(RunViewTest.published(RunViewTest.RUN)), out, true, false, clock)
                .follow(RunViewTest.RUN, Duration.ofMinutes(1));
        assertEquals(RunView.PUBLISHED, run.state());
        assertEquals("", text.toString());
    }

    /** Nothing on the first poll, then one more event per poll. */
    private Scripted growing(List<FreshenEvent> events) {
        Scripted source = new Scripted(clock);
        source.snapshots.add(null);
        for (int i = 1; i <= events.size(); i++) {
            source.snapshots.add(RunView.of(events.subList(0, i)));
        }
        return source;
    }
}
