package dev.freshen.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;

/** What the commands that start or follow a run share: {@code --wait}-style following, {@code --via}, exit codes. */
final class Follow {

    /** The path to Freshen: the event topics, or the watcher's API. */
    enum Via { kafka, api }

    /** {@code --timeout}, shared by every command that follows a run. */
    static class TimeoutOption {
        @CommandLine.Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
                description = "give up following after this long, e.g. 90s, 30m, 2h (default: ${DEFAULT-VALUE}); "
                        + "the run itself goes on")
        String timeout;

        Duration value(CommandLine commandLine) {
            try {
                return Selections.duration(timeout, "--timeout");
            } catch (CliException e) {
                throw new CommandLine.ParameterException(commandLine, e.getMessage());
            }
        }
    }

    private Follow() {
    }

    /** {@code --via} if given, else the API when the operator named the watcher, else Kafka (docs/cli.md). */
    static Via via(Via option, ApiOptions api) {
        return option != null ? option : api.named() ? Via.api : Via.kafka;
    }

    /**
     * Follows a run to its end, printing its stages on {@code out} unless {@code quiet}; closes {@code source}.
     *
     * @throws CliException on the time-out or when the source fails
     */
    static RunView run(RunFollower.Source source, String runId, Duration timeout, PrintWriter out, boolean quiet) {
        try (source) {
            return new RunFollower(source, out, RunFollower.terminal(), !quiet, Clock.systemUTC()).follow(runId, timeout);
        }
    }

    /** 0 published, 1 failed. */
    static int exitCode(RunView run) {
        return RunView.PUBLISHED.equals(run.state()) ? 0 : 1;
    }
}
