package dev.freshen.builder;

import dev.freshen.testing.Commands;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.ServiceProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged builder refuses to start when its docker CLI cannot run BuildKit builds: this machine's Docker 28 client
 * without the buildx plugin. (That it starts with Debian's 20.10 client, BuildKit built in, BuilderIT shows.)
 */
class BuildKitCheckIT {

    /** A docker CLI of 23 or newer without the buildx plugin, first on this machine's PATH. */
    private static final String WITHOUT_BUILDX = "/usr/local/bin/docker";

    /** Runs where this machine's kind has it (skipped, saying why, on a machine whose client has buildx). */
    @BeforeAll
    static void requireAClientWithoutBuildx() {
        DockerEngine.requireRunning();
        assumeTrue(Files.isExecutable(Path.of(WITHOUT_BUILDX)), WITHOUT_BUILDX + " is missing");
        String version = Commands.run(List.of(WITHOUT_BUILDX, "--version"), 30);
        assumeTrue(version.matches("Docker version (2[3-9]|[3-9]\\d)\\..*"), WITHOUT_BUILDX + " is older than 23: " + version);
        assumeTrue(!answers(List.of(WITHOUT_BUILDX, "buildx", "version")), WITHOUT_BUILDX + " has the buildx plugin");
    }

    private static boolean answers(List<String> command) {
        try {
            Commands.run(command, 30);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    @Test
    void refusesToStartWithADockerCliThatCannotRunBuildKitBuilds() {
        ServiceProcess.Exit exit = ServiceProcess.startExpectingExit(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", "src/test/resources/empty-platform-images",
                "freshen.target-registry", "127.0.0.1:5999",
                "freshen.builder.docker-cli", WITHOUT_BUILDX), Duration.ofSeconds(120));

        assertNotEquals(0, exit.code(), exit.log());
        String version = Commands.run(List.of(WITHOUT_BUILDX, "--version"), 30).replaceFirst("Docker version ([^,]+),.*", "$1");
        assertTrue(exit.log().contains("BuildKit builds cannot run: freshen.builder.docker-cli is " + WITHOUT_BUILDX
                + ", docker CLI " + version + ", which builds with BuildKit only through the buildx plugin, and `docker"
                + " buildx version` fails: "), exit.log());
        assertTrue(exit.log().contains("Install the buildx plugin (/usr/local/libexec/docker/cli-plugins/docker-buildx,"
                + " or ~/.docker/cli-plugins/docker-buildx of the service's user) or use a client older than 23 with"
                + " BuildKit built in (e.g. Debian's docker.io 20.10, /usr/bin/docker), and set freshen.builder.docker-cli"
                + " (FRESHEN_BUILDER_DOCKER_CLI) to it."), exit.log());
    }
}
