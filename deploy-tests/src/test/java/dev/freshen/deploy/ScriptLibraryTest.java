package dev.freshen.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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

    private Run script(String body) throws IOException, InterruptedException {
        Path script = dir.resolve("t.sh");
        Files.writeString(script, """
                script_name=t
                source "%s"
                LOG=%s
                """.formatted(RepoFiles.root().resolve("deploy/lib/script.sh"), dir.resolve("step.log")) + body);
        Process process = new ProcessBuilder("bash", script.toString()).start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the script ends");
        return new Run(process.exitValue(), stdout, stderr);
    }

    private record Run(int exit, String stdout, String stderr) {
    }
}
