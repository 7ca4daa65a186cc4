package dev.freshen.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the repository's scripts and the docker CLI from tests. */
public final class Commands {

    private Commands() {
    }

    /** The repository root: the nearest folder above the working directory holding {@code deploy/local}. */
    public static Path repositoryRoot() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/local"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (a folder with deploy/local) above "
                    + Paths.get("").toAbsolutePath());
        }
        return dir;
    }

    /** Runs a command, returns its standard output; fails with its output when it exits non-zero or takes too long. */
    public static String run(List<String> command, long timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            process.getOutputStream().close();
            var stdout = process.getInputStream().readAllBytes();
            var stderr = process.getErrorStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took longer than " + timeoutSeconds + "s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ":\n"
                        + new String(stderr, StandardCharsets.UTF_8) + new String(stdout, StandardCharsets.UTF_8));
            }
            return new String(stdout, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }
}
