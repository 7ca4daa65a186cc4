package dev.freshen.builder.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The git commit that last changed a folder, for {@code org.opencontainers.image.revision}; empty outside a repository. */
public final class GitRevision {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    private GitRevision() {
    }

    public static Optional<String> of(Path folder) {
        try {
            Process git = new ProcessBuilder("git", "-C", folder.toString(), "log", "-1", "--format=%H", "--", ".")
                    .redirectErrorStream(true).start();
            git.getOutputStream().close();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!git.waitFor(10, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return Optional.empty();
            }
            return git.exitValue() == 0 && SHA.matcher(out).matches() ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
