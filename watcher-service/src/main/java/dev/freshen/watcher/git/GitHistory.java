package dev.freshen.watcher.git;

import dev.freshen.events.Trigger;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The git commits that touched a platform image's folder since the revision its published version was built from
 * ({@code org.opencontainers.image.revision}), for the card of a definition change: {@code git log
 * --format=%H%x1f%an%x1f%s <revision>..HEAD -- .} run in the folder, newest first. {@code -c safe.directory=<folder>}
 * keeps git from refusing a checkout owned by another user (a bind mount).
 *
 * <p>Best effort, never an error: no commits when git is not installed (the service image has none), the folder is
 * not in a repository (a copy), the revision is not a commit sha or not in the repository (a shallow clone), or git
 * takes longer than {@link #TIMEOUT}.
 */
public final class GitHistory {

    private static final Logger LOG = Logger.getLogger(GitHistory.class);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** What a revision label may hold: a commit sha (never an option or a range, which git would act on). */
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,64}");
    private static final String SEPARATOR = "\u001f";

    private GitHistory() {
    }

    /** Commits touching the folder: at most the {@code max} asked for (newest first), and how many more. */
    public record Commits(List<Trigger.Commit> commits, int more) {

        public static final Commits NONE = new Commits(List.of(), 0);

        public Commits {
            commits = List.copyOf(commits);
        }
    }

    /**
     * The commits touching {@code folder} after {@code revision} up to {@code HEAD}.
     *
     * @param revision the published version's revision label; null when unknown (then no commits)
     * @param max      the most commits listed ({@link Trigger.DefinitionChange#MAX_COMMITS}); the rest are counted
     */
    public static Commits since(Path folder, String revision, int max) {
        if (revision == null || !SHA.matcher(revision).matches() || !Files.isDirectory(folder)) {
            return Commits.NONE;
        }
        Path out = null;
        try {
            out = Files.createTempFile("freshen-git-log-", ".txt");
            Process git = new ProcessBuilder("git", "-c", "safe.directory=" + folder.toAbsolutePath(), "log",
                    "--no-color", "--format=%H%x1f%an%x1f%s", revision + "..HEAD", "--", ".")
                    .directory(folder.toFile()).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            git.getOutputStream().close();
            if (!git.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                git.destroyForcibly();
                LOG.warnf("git log in %s took longer than %d s; the change is announced without its commits", folder,
                        TIMEOUT.toSeconds());
                return Commits.NONE;
            }
            if (git.exitValue() != 0) {
                LOG.debugf("git log %s..HEAD in %s exited with %d (no repository, or the revision is not in it)",
                        revision, folder, git.exitValue());
                return Commits.NONE;
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            List<Trigger.Commit> commits = new ArrayList<>();
            int more = 0;
            for (String line : lines) {
                String[] fields = line.split(SEPARATOR, 3);
                if (fields.length != 3 || fields[0].isEmpty()) {
                    continue;
                }
                if (commits.size() < max) {
                    commits.add(new Trigger.Commit(fields[0], fields[1], fields[2]));
                } else {
                    more++;
                }
            }
            return new Commits(commits, more);
        } catch (IOException e) {
            LOG.debugf("git log in %s could not run: %s", folder, e.getMessage());
            return Commits.NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Commits.NONE;
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    LOG.debugf("could not delete %s: %s", out, e.getMessage());
                }
            }
        }
    }
}
