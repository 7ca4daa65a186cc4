package dev.freshen.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/lib/script.sh}, which every script under {@code deploy/} and {@code bin/} sources: a failing command
 * stops the script with one line on standard error naming the step, the command and the log, and keeps its exit
 * status.
 */
class ScriptLibraryTest {

    @TempDir
    Path dir;

    @Test
    void aCommandThatFailsAtTheTopLevelIsReportedWithItsStepAndLog() throws Exception {
        Run run = script("""
                step "copying the files" "$LOG"
                echo "cp: cannot stat 'x'" >"$LOG"
                sh -c 'exit 3'
                echo "not reached"
                """);
        assertEquals(3, run.exit());
        assertTrue(run.stderr().contains("[t] error: copying the files failed: `sh -c 'exit 3'` exited 3"), run.stderr());
        assertTrue(run.stderr().contains("cp: cannot stat 'x'"), "the end of the log: " + run.stderr());
        assertTrue(run.stdout().isEmpty(), run.stdout());
    }

    @Test
    void aCommandThatFailsInAFunctionWhoseOutputGoesToALogIsStillReportedOnStandardError() throws Exception {
        Run run = script("""
                push() { sh -c 'exit 1' "$@"; }
                step "pushing the image" "$LOG"
                push x >>"$LOG" 2>&1
                echo "not reached"
                """);
        assertEquals(1, run.exit());
        assertTrue(run.stderr().contains("[t] error: pushing the image failed:"), run.stderr());
        assertTrue(run.stderr().contains("log: " + dir.resolve("step.log")), run.stderr());
    }

    @Test
    void aDaemonStartedInTheBackgroundDoesNotHoldTheCallersOutputOpen() throws Exception {
        // `run.sh 2>&1 | tee log` (as CI runs it) ends when run.sh ends, although the services it started run on
        Run run = script("""
                sleep 60 >/dev/null 2>&1 </dev/null &
                echo "$!" >"$LOG"
                say "started"
                """);
        long daemon = Long.parseLong(Files.readString(dir.resolve("step.log")).strip());
        ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroy);
        assertEquals(0, run.exit());
        assertEquals("[t] started\n", run.stdout());
    }

    private Run script(String body) throws IOException, InterruptedException {
        Path script = dir.resolve("t.sh");
        Files.writeString(script, """
                script_name=t
                source "%s"
                LOG=%s
                """.formatted(RepoFiles.root().resolve("deploy/lib/script.sh"), dir.resolve("step.log")) + body);
        Process process = new ProcessBuilder("bash", script.toString()).start();
        process.getOutputStream().close();
        // the script's output ends when the script does (not when processes it started in the background end)
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the script ends");
        try {
            return new Run(process.exitValue(), stdout.get(20, TimeUnit.SECONDS), stderr.get(20, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the script's output stays open after it ended: a process it started holds it", e);
        }
    }

    private static String read(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Run(int exit, String stdout, String stderr) {
    }
}
