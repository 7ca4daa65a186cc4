package dev.freshen.testing;

import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The Docker engine the tests use ({@code DOCKER_HOST} honoured), driven through Debian's docker CLI. */
public final class DockerEngine {

    /** Debian's docker CLI has BuildKit built in; another docker on PATH may lack the buildx plugin. */
    public static final String CLI = new File("/usr/bin/docker").canExecute() ? "/usr/bin/docker" : "docker";

    private DockerEngine() {
    }

    /** Fails with instructions when no engine answers. */
    public static void requireRunning() {
        try {
            docker("info", "--format", "{{.ServerVersion}}");
        } catch (RuntimeException e) {
            throw new IllegalStateException("no Docker engine answers (DOCKER_HOST=" + System.getenv("DOCKER_HOST")
                    + "): start it with deploy/local/stack.sh up docker", e);
        }
    }

    /** Removes images a test pulled or tagged ({@code docker rmi --force}), ignoring those already gone. */
    public static void removeImages(Collection<String> images) {
        for (String image : images) {
            try {
                docker("rmi", "--force", image);
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    public static String docker(String... args) {
        List<String> command = new ArrayList<>();
        command.add(CLI);
        command.addAll(List.of(args));
        return Commands.run(command, 300);
    }
}
