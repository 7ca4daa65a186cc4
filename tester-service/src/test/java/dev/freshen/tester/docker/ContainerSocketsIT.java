package dev.freshen.tester.docker;

import com.github.dockerjava.api.DockerClient;
import dev.freshen.docker.DockerEngine;
import dev.freshen.tester.AppPorts;
import dev.freshen.tester.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ways of reading a container's listening sockets agree with each other on the real engine, and each fails over
 * to the next where it cannot work: a pid of another PID namespace, an image without {@code cat}.
 */
class ContainerSocketsIT {

    private static final String WITH_CAT = "freshen-test/sockets-it:cat";
    private static final String WITHOUT_CAT = "freshen-test/sockets-it:no-cat";
    private static final String RUN = "sockets-it";

    private static DockerClient docker;
    private static DockerCandidateRuntime runtime;

    @BeforeAll
    static void images() throws IOException {
        dev.freshen.testing.DockerEngine.requireRunning();
        docker = DockerEngine.connect(Duration.ofMinutes(1));
        runtime = new DockerCandidateRuntime(docker, host -> null, Duration.ofMinutes(1),
                dev.freshen.testing.DockerEngine.CLI, "sockets-it");
        build(WITH_CAT, """
                FROM scratch
                COPY busybox /bin/busybox
                RUN ["/bin/busybox", "--install", "-s", "/bin"]
                CMD ["sh", "-c", "httpd -p 5000 -h /bin; httpd -p 127.0.0.1:8080 -h /bin; sleep 3600; echo done"]
                """);
        // busybox without its applet links: no cat, so the sockets cannot be read from inside
        build(WITHOUT_CAT, """
                FROM scratch
                COPY busybox /bin/busybox
                EXPOSE 5000 9090/udp
                ENTRYPOINT ["/bin/busybox"]
                CMD ["httpd", "-f", "-p", "5000", "-h", "/bin"]
                """);
    }

    @AfterAll
    static void remove() throws IOException {
        runtime.removeLeftovers();
        dev.freshen.docker.DockerEngine.remove(docker, WITH_CAT);
        dev.freshen.docker.DockerEngine.remove(docker, WITHOUT_CAT);
        docker.close();
    }

    @Test
    void procAndExecReadTheSameSockets() {
        RunningApp app = runtime.start(WITH_CAT, 8080, RUN, null);
        try {
            ContainerSockets sockets = new ContainerSockets(docker, Path.of("/proc"));
            var container = docker.inspectContainerCmd(app.containerId()).exec();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(List.of("5000", "127.0.0.1:8080"),
                    names(sockets.fromExec(app.containerId()))));
            Optional<List<AppPorts.Listener>> fromProc = sockets.fromProc(container);
            assertTrue(fromProc.isPresent(), "the tester runs on the engine's host here, as root: /proc is readable");
            assertEquals(names(sockets.fromExec(app.containerId())), names(fromProc));
            assertEquals(names(fromProc), names(runtime.ports(app).listening()));
        } finally {
            runtime.cleanUp(app, List.of());
        }
    }

    @Test
    void aPidOfAnotherNamespaceIsNotTrusted() throws IOException {
        RunningApp app = runtime.start(WITH_CAT, 8080, RUN, null);
        try {
            var container = docker.inspectContainerCmd(app.containerId()).exec();
            // another PID namespace's /proc, where the engine's pid is some other process
            Path proc = Files.createTempDirectory("proc-");
            Path other = Files.createDirectories(proc.resolve(Long.toString(container.getState().getPidLong())));
            Files.writeString(other.resolve("cmdline"), "java\0-jar\0quarkus-run.jar\0");
            Files.createDirectories(other.resolve("net"));
            Files.writeString(other.resolve("net/tcp"), Files.readString(Path.of("/proc/self/net/tcp")));
            assertEquals(Optional.empty(), new ContainerSockets(docker, proc).fromProc(container));
        } finally {
            runtime.cleanUp(app, List.of());
        }
    }

    @Test
    void withoutCatAndWithoutProcTheExposeListIsLeft() {
        RunningApp app = runtime.start(WITHOUT_CAT, 8080, RUN, null);
        try {
            ContainerSockets sockets = new ContainerSockets(docker, Path.of("/nonexistent-proc"));
            assertEquals(Optional.empty(), sockets.fromExec(app.containerId()), "no cat in the image");
            assertEquals(Optional.empty(), sockets.listening(app.containerId()));
            assertEquals(List.of(5000), runtime.ports(app).exposed(), "TCP ports only");
        } finally {
            runtime.cleanUp(app, List.of());
        }
    }

    private static List<String> names(Optional<List<AppPorts.Listener>> listeners) {
        return listeners.orElseThrow().stream().map(AppPorts.Listener::toString).distinct().toList();
    }

    private static void build(String tag, String dockerfile) throws IOException {
        Path context = Files.createTempDirectory("freshen-sockets-");
        Files.copy(Path.of("/bin/busybox"), context.resolve("busybox"));
        Files.writeString(context.resolve("Dockerfile"), dockerfile);
        dev.freshen.testing.DockerEngine.docker("build", "-q", "--label", "dev.freshen.role=freshen-tester", "--label",
                "dev.freshen.tester-instance=sockets-it", "-t", tag, context.toString());
    }
}
