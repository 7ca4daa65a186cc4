package dev.freshen.tester.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Frame;
import dev.freshen.retry.StopRequested;
import dev.freshen.tester.AppPorts;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads which TCP sockets a running container listens on, so that a test app that answers nowhere can be told "the
 * container listens on 5000". The Engine API has no call for it (the container's ports in {@code inspect} are the
 * published and exposed ones, not what the process opened), so the kernel's view is read, from the container's own
 * network namespace, in the first of these ways that works where the tester runs:
 *
 * <ol>
 *     <li><b>{@code /proc/<pid>/net/tcp} and {@code tcp6} of the container's main process</b>, its pid as the engine
 *     reports it ({@code State.Pid}). That pid is a number in the engine's PID namespace, so this works when the
 *     tester shares it: a tester on the engine's host (the local run, a systemd service) or in a container with
 *     {@code pid: host}. It needs no program in the image (distroless and chiseled .NET images have none) and starts
 *     no process in the container. Elsewhere (compose without {@code pid: host}, a Kubernetes pod with its own
 *     {@code dockerd} sidecar, a remote {@code DOCKER_HOST}) the same number is another process or none, so the pid is
 *     only trusted when its {@code /proc/<pid>/cmdline} is exactly the container's command ({@code Path} and
 *     {@code Args} from inspect); a main process that replaced its command line falls through to the next way.</li>
 *     <li><b>{@code cat /proc/net/tcp /proc/net/tcp6} run in the container</b> ({@code docker exec}): works wherever
 *     the engine is, when the image has {@code cat} (busybox, Alpine, Debian and Ubuntu based images, the usual .NET
 *     runtime images).</li>
 *     <li>Else the sockets are unknown; the caller falls back on the image's {@code EXPOSE} list as a hint.</li>
 * </ol>
 *
 * Not used: {@code docker cp} of {@code /proc/net/tcp} (the engine copies from the container's root file system,
 * where {@code /proc} is not mounted: "Could not find the file /proc/net/tcp" with Engine 20.10), and a helper
 * container in the app's network namespace (it would need an image with the tools, and nothing can be pulled).
 */
final class ContainerSockets {

    private static final long EXEC_SECONDS = 10;
    private static final Logger LOG = Logger.getLogger(ContainerSockets.class);

    private final DockerClient docker;
    private final Path proc;

    /** @param proc where the tester sees {@code /proc} (tests use another folder) */
    ContainerSockets(DockerClient docker, Path proc) {
        this.docker = docker;
        this.proc = proc;
    }

    /** The listening sockets of the running container {@code containerId}, or empty when no way could read them. */
    Optional<List<AppPorts.Listener>> listening(String containerId) {
        InspectContainerResponse container = docker.inspectContainerCmd(containerId).exec();
        Optional<List<AppPorts.Listener>> fromProc = fromProc(container);
        if (fromProc.isPresent()) {
            LOG.debugf("Sockets of container %.12s read from %s/%s/net", containerId, proc, container.getState().getPidLong());
            return fromProc;
        }
        Optional<List<AppPorts.Listener>> fromExec = fromExec(containerId);
        LOG.debugf("Sockets of container %.12s %s", containerId, fromExec.isPresent() ? "read with cat in the container"
                : "not readable (no such pid here, no cat in the image)");
        return fromExec;
    }

    /** Way 1 (see the class): the main process's view, when its pid is one the tester sees. */
    Optional<List<AppPorts.Listener>> fromProc(InspectContainerResponse container) {
        Long pid = container.getState() == null ? null : container.getState().getPidLong();
        if (pid == null || pid <= 0) {
            return Optional.empty();
        }
        Path process = proc.resolve(Long.toString(pid));
        try {
            if (!Files.readString(process.resolve("cmdline"), StandardCharsets.UTF_8).equals(commandLine(container))) {
                return Optional.empty(); // another PID namespace: this pid is somebody else
            }
            StringBuilder text = new StringBuilder();
            for (String file : List.of("net/tcp", "net/tcp6")) {
                Path path = process.resolve(file);
                if (Files.isReadable(path)) { // tcp6 is missing where IPv6 is off
                    text.append(Files.readString(path, StandardCharsets.UTF_8)).append('\n');
                }
            }
            return ProcNetTcp.looksRead(text.toString()) ? Optional.of(ProcNetTcp.listeners(text.toString()))
                    : Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // not there, or not ours to read
        }
    }

    /** Way 2 (see the class): {@code cat} in the container. */
    Optional<List<AppPorts.Listener>> fromExec(String containerId) {
        StringBuilder out = new StringBuilder();
        try {
            String exec = docker.execCreateCmd(containerId).withCmd("cat", "/proc/net/tcp", "/proc/net/tcp6")
                    .withAttachStdout(true).withAttachStderr(false).exec().getId();
            boolean done = docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(EXEC_SECONDS, TimeUnit.SECONDS);
            // cat exits 1 when tcp6 is missing (IPv6 off) and still printed tcp: the header line decides
            return done && ProcNetTcp.looksRead(out.toString()) ? Optional.of(ProcNetTcp.listeners(out.toString()))
                    : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopRequested("interrupted while reading the app's sockets", e);
        } catch (RuntimeException e) {
            return Optional.empty(); // no cat in the image, or the container ended meanwhile
        }
    }

    /** What {@code /proc/<pid>/cmdline} of the container's main process holds: its arguments, each ended by NUL. */
    static String commandLine(InspectContainerResponse container) {
        List<String> argv = new ArrayList<>();
        argv.add(container.getPath());
        if (container.getArgs() != null) {
            argv.addAll(List.of(container.getArgs()));
        }
        StringBuilder line = new StringBuilder();
        argv.forEach(arg -> line.append(arg).append('\0'));
        return line.toString();
    }
}
