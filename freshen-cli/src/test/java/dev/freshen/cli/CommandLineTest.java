package dev.freshen.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command tree as picocli parses it, without a process: help everywhere, one-line argument errors. */
class CommandLineTest {

    record Run(int exitCode, String out, String err) {
    }

    @Test
    void everyCommandHasHelpAndVersion() {
        List<String> paths = new ArrayList<>();
        collect(commandLine(), List.of(), paths);
        assertTrue(paths.size() >= 10, paths.toString());
        for (String path : paths) {
            for (String flag : List.of("-h", "--help")) {
                List<String> args = new ArrayList<>(path.isEmpty() ? List.of() : List.of(path.split(" ")));
                args.add(flag);
                Run run = run(args.toArray(String[]::new));
                assertEquals(0, run.exitCode(), "freshen " + args + ": " + run.err());
                assertTrue(run.out().contains("Usage: freshen" + (path.isEmpty() ? "" : " " + path)), run.out());
            }
            if (!path.equals("help")) {
                Run help = run(("help " + path).strip().split(" "));
                assertEquals(0, help.exitCode(), "freshen help " + path + ": " + help.err());
                assertTrue(help.out().startsWith("Usage: freshen"), help.out());
            }
        }
    }

    @Test
    void badArgumentsAreOneLineWithTheFixAndExitTwo() {
        assertEquals(new Run(2, "", "freshen: unknown option '--wiat' (did you mean --wait or --via?); "
                + "see 'freshen force-update --help'\n"), run("force-update", "net10/runtime", "--wiat"));
        assertEquals(new Run(2, "", "freshen: unknown command 'stauts' (did you mean status?); see 'freshen --help'\n"),
                run("stauts"));
        assertEquals(new Run(2, "", "freshen: say which command: force-update, rollback, check, status, runs, events, dlq, "
                + "setup, "
                + "completion, help; see 'freshen --help'\n"), run());
        assertEquals(new Run(2, "", "freshen: say which command: list, replay; see 'freshen dlq --help'\n"), run("dlq"));
        Run timeout = run("force-update", "net10/runtime", "--wait", "--timeout", "soon");
        assertEquals(2, timeout.exitCode());
        assertEquals("freshen: --timeout 'soon': expected a duration such as 90s, 30m or 2h; see 'freshen force-update "
                + "--help'\n", timeout.err());
        Run output = run("status", "-o", "yaml");
        assertEquals(2, output.exitCode());
        assertTrue(output.err().contains("Invalid value for option '--output': expected one of [text, json]"), output.err());
        assertEquals(1, output.err().lines().count());
        Run runId = run("runs", "F-NOT-A-RUN");
        assertEquals(2, runId.exitCode());
        assertFalse(runId.err().contains("Exception"), runId.err());
    }

    @Test
    void aWatcherAddressThatIsNoUrlIsOneLineNamingIt() {
        for (String api : List.of("not-a-url", "127.0.0.1:8081", "ftp://127.0.0.1:8081")) {
            assertEquals(new Run(1, "", "freshen: '" + api + "' is not a URL (--api or FRESHEN_API), e.g. "
                    + "http://127.0.0.1:8081\n"), run("status", "--api", api));
        }
    }

    @Test
    void theCompletionScriptCoversEveryCommand() {
        Run bash = run("completion", "bash");
        assertEquals(0, bash.exitCode(), bash.err());
        for (String command : List.of("force-update", "check", "status", "runs", "events", "dlq", "completion", "list",
                "replay", "--wait", "--command-config", "--output")) {
            assertTrue(bash.out().contains(command), command);
        }
        assertTrue(bash.out().contains("complete -F _complete_freshen"), "registers the function");
        Run zsh = run("completion", "zsh");
        assertTrue(zsh.out().startsWith("# freshen completion for zsh"), zsh.out());
        assertTrue(zsh.out().contains("bashcompinit"));
    }

    static Run run(String... args) {
        CommandLine commandLine = commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString().replace(System.lineSeparator(), "\n"));
    }

    /** The command line as the application builds it, with picocli's own factory in place of CDI. */
    static CommandLine commandLine() {
        return new CliConfiguration().commandLine(new PicocliCommandLineFactory() {
            @Override
            public CommandLine create() {
                return new CommandLine(FreshenCommand.class);
            }
        });
    }

    private static void collect(CommandLine commandLine, List<String> path, List<String> paths) {
        paths.add(String.join(" ", path));
        commandLine.getSubcommands().forEach((name, sub) -> {
            List<String> next = new ArrayList<>(path);
            next.add(name);
            collect(sub, next, paths);
        });
    }
}
