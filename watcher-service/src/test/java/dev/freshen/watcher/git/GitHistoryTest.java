package dev.freshen.watcher.git;

import dev.freshen.events.Trigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link GitHistory} against the real {@code git} on a repository made here. */
class GitHistoryTest {

    @TempDir
    Path repo;
    Path image;
    String published;

    @BeforeEach
    void repository() throws IOException {
        git("init", "-q", "-b", "main");
        git("config", "user.name", "Test Author");
        git("config", "user.email", "test@example.com");
        image = Files.createDirectories(repo.resolve("base/runtime"));
        published = commit("base/runtime/Dockerfile", "FROM x\n", "Add base/runtime");
    }

    @Test
    void commitsTouchingTheFolderSinceTheRevisionNewestFirst() throws IOException {
        String first = commit("base/runtime/Dockerfile", "FROM x\nUSER 1\n", "Run as 1");
        commit("base/aspnet/Dockerfile", "FROM y\n", "Add aspnet: another folder");
        String second = commit("base/runtime/app/run.sh", "echo\n", "Add the run script, a subject \u00e9crit in UTF-8");

        GitHistory.Commits commits = GitHistory.since(image, published, 20);

        assertEquals(List.of(new Trigger.Commit(second, "Test Author", "Add the run script, a subject \u00e9crit in UTF-8"),
                new Trigger.Commit(first, "Test Author", "Run as 1")), commits.commits());
        assertEquals(0, commits.more());
    }

    @Test
    void atMostMaxAndTheRestCounted() throws IOException {
        List<String> shas = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            shas.add(0, commit("base/runtime/file" + i, "x" + i, "Change " + i));
        }

        GitHistory.Commits commits = GitHistory.since(image, published, 2);

        assertEquals(shas.subList(0, 2), commits.commits().stream().map(Trigger.Commit::sha).toList());
        assertEquals(3, commits.more());
    }

    @Test
    void noCommitsWithoutARevisionARepositoryOrAKnownRevision(@TempDir Path copy) throws IOException {
        commit("base/runtime/Dockerfile", "FROM x\nUSER 1\n", "Run as 1");

        assertEquals(GitHistory.Commits.NONE, GitHistory.since(image, null, 20), "unknown revision");
        assertEquals(GitHistory.Commits.NONE, GitHistory.since(image, "0123456789abcdef0123456789abcdef01234567", 20),
                "a revision not in the repository");
        assertEquals(GitHistory.Commits.NONE, GitHistory.since(image, "--all", 20), "not a sha: never handed to git");
        assertEquals(GitHistory.Commits.NONE, GitHistory.since(image, published + "..", 20), "not a sha");
        assertEquals(GitHistory.Commits.NONE, GitHistory.since(copy, published, 20), "a copy without .git");
        assertEquals(GitHistory.Commits.NONE, GitHistory.since(copy.resolve("missing"), published, 20));
        assertEquals(1, GitHistory.since(image, published, 20).commits().size(), "while the checkout itself has it");
    }

    private String commit(String path, String content, String subject) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        git("add", "-A");
        git("commit", "-q", "-m", subject);
        return git("rev-parse", "HEAD").strip();
    }

    private String git(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return out;
    }
}
