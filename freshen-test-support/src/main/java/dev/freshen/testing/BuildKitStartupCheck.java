package dev.freshen.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The start-up check that builder and tester share: the packaged service refuses to start when its docker CLI cannot
 * run BuildKit builds, as this machine's Docker 28 client without the buildx plugin cannot, and says what to do.
 * (That it starts with Debian's 20.10 client, BuildKit built in, each service's own IT shows.)
 */
public final class BuildKitStartupCheck {

    /** A docker CLI of 23 or newer without the buildx plugin, first on this machine's PATH. */
    public static final String WITHOUT_BUILDX = "/usr/local/bin/docker";

    private BuildKitStartupCheck() {
    }

    /** Skips the test, saying why, where this machine has no client of 23+ without buildx. */
    public static void requireAClientWithoutBuildx() {
        DockerEngine.requireRunning();
        assumeTrue(Files.isExecutable(Path.of(WITHOUT_BUILDX)), WITHOUT_BUILDX + " is missing");
        String version = Commands.run(List.of(WITHOUT_BUILDX, "--version"), 30);
        assumeTrue(version.matches("Docker version (2[3-9]|[3-9]\\d)\\..*"), WITHOUT_BUILDX + " is older than 23: " + version);
        assumeTrue(!answers(List.of(WITHOUT_BUILDX, "buildx", "version")), WITHOUT_BUILDX + " has the buildx plugin");
    }

    /**
     * Starts the service of the current module ({@code builder} or {@code tester}) with {@link #WITHOUT_BUILDX} as its
     * docker CLI and {@code config} besides, and checks that it exits non-zero naming the setting, the client and the fix.
     */
    public static void assertRefusesToStart(String service, Map<String, String> config) {
        String setting = "freshen." + service + ".docker-cli";
        Map<String, String> all = new LinkedHashMap<>(config);
        all.put(setting, WITHOUT_BUILDX);
        ServiceProcess.Exit exit = ServiceProcess.startExpectingExit(Paths.get("").toAbsolutePath(), all,
                Duration.ofSeconds(120));

        assertNotEquals(0, exit.code(), exit.log());
        String version = Commands.run(List.of(WITHOUT_BUILDX, "--version"), 30).replaceFirst("Docker version ([^,]+),.*", "$1");
        assertTrue(exit.log().contains("BuildKit builds cannot run: " + setting + " is " + WITHOUT_BUILDX
                + ", docker CLI " + version + ", which builds with BuildKit only through the buildx plugin, and `docker"
                + " buildx version` fails: "), exit.log());
        assertTrue(exit.log().contains("Install the buildx plugin (/usr/local/libexec/docker/cli-plugins/docker-buildx,"
                + " or ~/.docker/cli-plugins/docker-buildx of the service's user) or use a client older than 23 with"
                + " BuildKit built in (e.g. Debian's docker.io 20.10, /usr/bin/docker), and set " + setting + " ("
                + setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ") to it."), exit.log());
    }

    private static boolean answers(List<String> command) {
        try {
            Commands.run(command, 30);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
