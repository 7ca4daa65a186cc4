package dev.freshen.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BuildKitProbe} against fake docker CLIs (bash scripts that answer like the real clients and record how they
 * were called). The real clients of this machine are checked by the builder's and tester's StartUpCheckIT.
 */
class BuildKitProbeTest {

    private static final String SETTING = "freshen.builder.docker-cli";
    private static final String IMAGE = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    /** The engine's images: the fake CLI's build "adds" IMAGE when {@code lands}. */
    private final Set<String> engine = new HashSet<>();
    private final List<String> removed = new ArrayList<>();
    private boolean lands = true;

    private final BuildKitProbe.Images images = new BuildKitProbe.Images() {
        @Override
        public boolean exists(String id) {
            return lands && id.equals(IMAGE) || engine.contains(id);
        }

        @Override
        public void remove(String id) {
            removed.add(id);
        }
    };

    @Test
    void aClientBefore23HasBuildKitBuiltInAndPassesWithARealBuild() throws IOException {
        Path cli = fakeCli("Docker version 20.10.24+dfsg1, build 297e128", "echo \"docker: 'buildx' is not a docker command.\"; exit 1",
                "echo '#5 writing image " + IMAGE + " done'; printf " + IMAGE + " > \"$iid\"");

        String line = probe(cli).check();

        assertTrue(line.startsWith("BuildKit builds through " + SETTING + " is " + cli + ", docker CLI 20.10.24+dfsg1 "
                + "(BuildKit built in); test build passed in "), line);
        List<String> calls = calls();
        assertEquals(2, calls.size(), "no buildx question for a client before 23: " + calls);
        assertTrue(calls.get(1).matches("build --progress=plain -f - --iidfile \\S+/iid \\S+ DOCKER_BUILDKIT=1"), calls.get(1));
        assertEquals(List.of(IMAGE), removed, "the test image is removed again");
    }

    @Test
    void aClientOf23OrNewerWithoutBuildxIsRefusedWithTheFix() throws IOException {
        Path cli = fakeCli("Docker version 28.2.2, build e6534b4",
                "echo 'docker: unknown command: docker buildx'; echo; echo \"Run 'docker --help' for more information\"; exit 1",
                "echo 'ERROR: BuildKit is enabled but the buildx component is missing or broken.'; exit 1");

        var e = assertThrows(IllegalStateException.class, () -> probe(cli).check());

        assertEquals("BuildKit builds cannot run: " + SETTING + " is " + cli + ", docker CLI 28.2.2, which builds with"
                + " BuildKit only through the buildx plugin, and `docker buildx version` fails: docker: unknown command:"
                + " docker buildx. Install the buildx plugin (/usr/local/libexec/docker/cli-plugins/docker-buildx, or"
                + " ~/.docker/cli-plugins/docker-buildx of the service's user) or use a client older than 23 with BuildKit"
                + " built in (e.g. Debian's docker.io 20.10, /usr/bin/docker), and set " + SETTING
                + " (FRESHEN_BUILDER_DOCKER_CLI) to it.", e.getMessage());
        assertFalse(calls().stream().anyMatch(c -> c.startsWith("build ")), "no build attempted: " + calls());
    }

    @Test
    void aClientOf23OrNewerWithBuildxPasses() throws IOException {
        Path cli = fakeCli("Docker version 27.5.1, build 9f9e405",
                "echo 'github.com/docker/buildx v0.20.0 6b3b6fd'", "printf " + IMAGE + " > \"$iid\"");

        String line = probe(cli).check();

        assertTrue(line.contains("docker CLI 27.5.1 (buildx v0.20.0 6b3b6fd); test build passed"), line);
        assertEquals(List.of("--version DOCKER_BUILDKIT=1", "buildx version DOCKER_BUILDKIT=1"), calls().subList(0, 2));
        assertEquals(List.of(IMAGE), removed);
    }

    @Test
    void aFailingTestBuildIsRefusedWithItsError() throws IOException {
        Path cli = fakeCli("Docker version 27.5.1, build 9f9e405", "echo 'github.com/docker/buildx v0.20.0 6b3b6fd'",
                "echo '#1 [internal] load build definition from Dockerfile'; "
                        + "echo 'ERROR: failed to solve: failed to read dockerfile: permission denied'; echo '------'; exit 1");

        var e = assertThrows(IllegalStateException.class, () -> probe(cli).check());

        assertTrue(e.getMessage().startsWith("BuildKit builds cannot run: " + SETTING + " is " + cli + ", docker CLI 27.5.1,"
                + " and a BuildKit test build (DOCKER_BUILDKIT=1 docker build of FROM scratch, nothing pulled) failed:"
                + " ERROR: failed to solve: failed to read dockerfile: permission denied. Install the buildx plugin"), e.getMessage());
    }

    @Test
    void aBuildThatDoesNotReachTheServicesEngineIsRefused() throws IOException {
        lands = false;
        Path cli = fakeCli("Docker version 27.5.1, build 9f9e405", "echo 'github.com/docker/buildx v0.20.0 6b3b6fd'",
                "echo 'WARNING: No output specified with docker-container driver.'; printf " + IMAGE + " > \"$iid\"");

        var e = assertThrows(IllegalStateException.class, () -> probe(cli).check());

        assertTrue(e.getMessage().startsWith("BuildKit builds do not reach the Docker engine this service uses: " + SETTING
                + " is " + cli + ", docker CLI 27.5.1 built a test image, but the engine (DOCKER_HOST="), e.getMessage());
        assertTrue(e.getMessage().contains("docker buildx use default"), e.getMessage());
        assertTrue(removed.isEmpty());
    }

    @Test
    void aCliThatCannotBeRunIsRefused() {
        Path missing = dir.resolve("no-such-docker");

        var e = assertThrows(IllegalStateException.class, () -> probe(missing).check());

        assertTrue(e.getMessage().startsWith("BuildKit builds cannot run: " + SETTING + " is " + missing
                + ", which cannot be run (error=2, No such file or directory). Install the buildx plugin"), e.getMessage());
    }

    @Test
    void aCliWhoseVersionCannotBeReadIsJudgedByTheTestBuildAlone() throws IOException {
        Path cli = fakeCli("podman version 4.3.1", "exit 1", "printf " + IMAGE + " > \"$iid\"");

        String line = probe(cli).check();

        assertTrue(line.contains(SETTING + " is " + cli + " (version unknown (podman version 4.3.1)); test build passed"), line);
    }

    @Test
    void aHangingCliTimesOut() throws IOException {
        Path cli = fakeCli("Docker version 20.10.24+dfsg1, build 297e128", "exit 1", "exec sleep 30");

        var e = assertThrows(IllegalStateException.class,
                () -> new BuildKitProbe(SETTING, cli.toString(), images, Duration.ofSeconds(1)).check());

        assertEquals("the BuildKit start-up check timed out: " + SETTING + " is " + cli + ", and the test build did not"
                + " finish within 1s (is the Docker engine overloaded?)", e.getMessage());
    }

    @Test
    void readsTheVersionOfRealClients() {
        assertEquals(Optional.of("28.2.2"), BuildKitProbe.version("Docker version 28.2.2, build e6534b4\n"));
        assertEquals(Optional.of("20.10.24+dfsg1"), BuildKitProbe.version("Docker version 20.10.24+dfsg1, build 297e128"));
        assertEquals(Optional.of("23.0.0-rc.1"), BuildKitProbe.version("Docker version 23.0.0-rc.1, build 1234567"));
        assertEquals(Optional.empty(), BuildKitProbe.version("podman version 4.3.1"));
    }

    private BuildKitProbe probe(Path cli) {
        return new BuildKitProbe(SETTING, cli.toString(), images, Duration.ofSeconds(10));
    }

    /**
     * A docker CLI script: {@code --version} prints {@code version}, {@code buildx ...} runs {@code buildx}, {@code build}
     * checks it got the probe's Dockerfile on stdin, sets {@code $iid} from --iidfile and runs {@code build}.
     */
    private Path fakeCli(String version, String buildx, String build) throws IOException {
        Path script = dir.resolve("docker");
        Files.writeString(script, """
                #!/bin/bash
                echo "$* DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-}" >> '%s'
                case "$1" in
                  --version) echo '%s' ;;
                  buildx) %s ;;
                  build)
                    dockerfile=$(cat)
                    [[ $dockerfile == *'COPY --chmod=0644 probe /freshen-buildkit-check'* ]] \
                      || { echo "error: unexpected Dockerfile"; exit 9; }
                    [ -f "${@: -1}/probe" ] || { echo "error: no probe file in the context"; exit 9; }
                    while (($#)); do if [ "$1" = --iidfile ]; then iid=$2; fi; shift; done
                    %s ;;
                  *) echo "error: unexpected call"; exit 9 ;;
                esac
                """.formatted(dir.resolve("calls"), version, buildx, build));
        script.toFile().setExecutable(true);
        return script;
    }

    private List<String> calls() throws IOException {
        return Files.readAllLines(dir.resolve("calls"));
    }
}
