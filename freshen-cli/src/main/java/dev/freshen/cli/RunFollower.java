package dev.freshen.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Follows one run until it ends: prints each new stage entry as a line, and on a terminal a live progress line
 * (stage now running, time since the run started) that is rewritten in place with {@code \r}; elsewhere (a pipe, a
 * CI log) only the stage lines. Ends with the run's last document, or a {@link CliException} after the time-out.
 */
final class RunFollower {

    /** Where the run's document comes from: the watcher's API or the event topics. */
    interface Source extends AutoCloseable {

        /** The run as known now, waiting up to {@code wait} for news; null while nothing of it is known. */
        RunView poll(Duration wait);

        @Override
        void close();
    }

    static final Duration POLL = Duration.ofSeconds(1);

    private final Source source;
    private final PrintWriter out;
    private final boolean terminal;
    private final boolean print;
    private final Clock clock;
    private int live;

    /**
     * @param out      where lines go; nothing is printed when {@code print} is false ({@code -o json})
     * @param terminal whether {@code out} is a terminal (then the live line is drawn)
     */
    RunFollower(Source source, PrintWriter out, boolean terminal, boolean print, Clock clock) {
        this.source = source;
        this.out = out;
        this.terminal = terminal;
        this.print = print;
        this.clock = clock;
    }

    /**
     * Follows {@code runId} until its outcome is known.
     *
     * @param timeout how long to follow at most
     * @throws CliException when the run has not ended after {@code timeout} (naming the stage it is in)
     */
    RunView follow(String runId, Duration timeout) {
        Instant begin = clock.instant();
        Instant deadline = begin.plus(timeout);
        Set<RunView.Entry> printed = new HashSet<>();
        RunView run = null;
        while (true) {
            RunView polled = source.poll(POLL);
            if (polled != null) {
                run = polled;
                for (RunView.Entry entry : run.stages()) {
                    if (printed.add(entry)) {
                        line(RunFormat.stage(entry, run.origin()));
                    }
                }
            }
            if (run != null && run.ended()) {
                clearLive();
                return run;
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                clearLive();
                throw new CliException("run " + runId + (run == null ? " has not shown up" : " is still in "
                        + RunFormat.next(run)) + " after " + RunFormat.span(timeout) + " (--timeout); the run goes on: "
                        + "follow it with 'freshen runs " + runId + " --follow'");
            }
            if (print && terminal) {
                Instant origin = run == null || run.origin() == null ? begin : run.origin();
                drawLive(RunFormat.progress(run, Duration.between(origin, now)));
            }
        }
    }

    private void line(String text) {
        if (print) {
            clearLive();
            out.println(text);
            out.flush();
        }
    }

    private void drawLive(String text) {
        out.print("\r" + text + " ".repeat(Math.max(0, live - text.length())));
        out.flush();
        live = text.length();
    }

    private void clearLive() {
        if (live > 0) {
            out.print("\r" + " ".repeat(live) + "\r");
            out.flush();
            live = 0;
        }
    }

    /**
     * Whether standard output is a terminal: {@code System.console()} exists (on Java 22 and later, where a console
     * may exist without a terminal, {@code Console.isTerminal()} must also say so).
     */
    static boolean terminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17 to 21: a console exists only on a terminal
        }
    }
}
