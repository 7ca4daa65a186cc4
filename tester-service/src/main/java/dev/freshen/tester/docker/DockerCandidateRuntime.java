package dev.freshen.tester.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.freshen.docker.BuildKitCliBuilder;
import dev.freshen.docker.BuildLog;
import dev.freshen.docker.BuildSpec;
import dev.freshen.docker.DockerEngine;
import dev.freshen.docker.EngineApiBuilder;
import dev.freshen.docker.EngineErrors;
import dev.freshen.docker.PlainText;
import dev.freshen.descriptor.Dockerfile;
import dev.freshen.events.Durations;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.registry.Credentials;
import dev.freshen.tester.AppPorts;
import dev.freshen.tester.AppState;
import dev.freshen.tester.CandidateRuntime;
import dev.freshen.tester.CommandResult;
import dev.freshen.tester.ImageFacts;
import dev.freshen.tester.RunningApp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link CandidateRuntime} on a Docker engine through its API (docker-java), BuildKit builds through the CLI. A
 * platform is handed to the engine as its {@code platform} parameter (pull, container create): the engine checks that
 * the image is of it, and runs a foreign one through the kernel's binfmt handler (QEMU user emulation).
 */
public class DockerCandidateRuntime implements CandidateRuntime {

    /** Label on every container and image the tester makes. */
    public static final String ROLE_LABEL = "dev.freshen.role";
    public static final String ROLE = "freshen-tester";
    static final String RUN_LABEL = "dev.freshen.run-id";
    /** Which tester made it: testers sharing an engine clean up only their own leftovers. */
    static final String INSTANCE_LABEL = "dev.freshen.tester-instance";

    private final DockerClient docker;
    private final Function<String, Credentials> credentials;
    private final Duration pullTimeout;
    private final EngineApiBuilder engineApi;
    private final BuildKitCliBuilder buildKit;
    private final ContainerSockets sockets;
    private final String instance;
    private volatile Platform nativePlatform;

    /**
     * @param instance this tester's id on the engine, the same after a restart (e.g. host name and HTTP port), so that
     *                 a restarted tester removes what it left and nothing of the others
     */
    public DockerCandidateRuntime(DockerClient docker, Function<String, Credentials> credentials, Duration pullTimeout,
                                  String dockerCli, String instance) {
        this.docker = docker;
        this.instance = instance;
        this.credentials = credentials;
        this.pullTimeout = pullTimeout;
        this.engineApi = new EngineApiBuilder(docker);
        this.buildKit = new BuildKitCliBuilder(dockerCli);
        this.sockets = new ContainerSockets(docker, Path.of("/proc"));
    }

    @Override
    public Platform nativePlatform() {
        Platform known = nativePlatform;
        if (known == null) {
            known = DockerEngine.nativePlatform(docker);
            nativePlatform = known;
        }
        return known;
    }

    @Override
    public void pull(ImageReference pinned, Platform platform) {
        DockerEngine.pull(docker, pinned.name(), pinned.digest(), platform == null ? null : platform.toString(),
                credentials.apply(pinned.registry()), pullTimeout);
    }

    @Override
    public ImageFacts inspect(ImageReference pinned) {
        InspectImageResponse image = docker.inspectImageCmd(pinned.byDigestOnly().toString()).exec();
        var config = image.getConfig();
        return config == null ? new ImageFacts("", List.of(), Map.of())
                : new ImageFacts(config.getUser(), config.getEnv() == null ? List.of() : List.of(config.getEnv()),
                config.getLabels());
    }

    @Override
    public boolean fileExists(ImageReference pinned, String path, String runId, Platform platform) {
        // a created (never started) container: works for images without a shell, and needs no emulation
        var create = docker.createContainerCmd(pinned.byDigestOnly().toString())
                .withCmd("/freshen-never-started")
                .withLabels(labels(runId));
        String id = withPlatform(create, platform).exec().getId();
        try (InputStream archive = docker.copyArchiveFromContainerCmd(id, path).exec()) {
            return archive.read() >= 0;
        } catch (NotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + " from the candidate: " + EngineErrors.plainWords(e), e);
        } finally {
            removeContainer(id);
        }
    }

    @Override
    public CommandResult run(ImageReference pinned, List<String> argv, Duration timeout, String runId,
                             Platform platform) {
        var create = docker.createContainerCmd(pinned.byDigestOnly().toString())
                .withEntrypoint(argv)
                .withCmd(List.of())
                .withLabels(labels(runId))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"));
        String id = withPlatform(create, platform).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            Integer code;
            try {
                code = docker.waitContainerCmd(id).start().awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                return new CommandResult(-1, "did not finish within " + Durations.human(timeout) + "\n" + logs(id, 20));
            }
            return new CommandResult(code == null ? -1 : code, logs(id, 20));
        } finally {
            removeContainer(id);
        }
    }

    @Override
    public String buildApp(BuildSpec spec, BuildLog log, boolean withBuildKit) {
        return (withBuildKit ? buildKit : engineApi).build(spec.withRegistryCredentials(registryCredentials(spec)), log);
    }

    /**
     * The credentials of the registries the app's Dockerfile pulls from (the candidate's, any other base's, its
     * {@code # syntax=} frontend's), for the engine; no others.
     */
    private Map<String, Credentials> registryCredentials(BuildSpec spec) {
        Map<String, Credentials> byHost = new LinkedHashMap<>(spec.registryCredentials());
        for (String host : Dockerfile.parse(spec.dockerfile(), spec.buildArgs()).registries()) {
            Credentials c = credentials.apply(host);
            if (c != null) {
                byHost.put(host, c);
            }
        }
        return byHost;
    }

    @Override
    public RunningApp start(String image, int containerPort, String runId, Platform platform) {
        ExposedPort port = ExposedPort.tcp(containerPort);
        var create = docker.createContainerCmd(image)
                .withExposedPorts(port)
                .withLabels(labels(runId))
                .withHostConfig(HostConfig.newHostConfig()
                        .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), port)));
        String id = withPlatform(create, platform).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
        } catch (BadRequestException e) {
            // the engine refuses the container's command (it does not exist in the image, or may not run): the app's
            // mistake, which state() reports; other refusals (500) are the engine's trouble
            return new RunningApp(id, 0);
        }
        InspectContainerResponse started = docker.inspectContainerCmd(id).exec();
        Ports.Binding[] bindings = started.getNetworkSettings().getPorts().getBindings().get(port);
        if (bindings != null && bindings.length > 0) {
            return new RunningApp(id, Integer.parseInt(bindings[0].getHostPortSpec()));
        }
        if (!Boolean.TRUE.equals(started.getState().getRunning())) {
            return new RunningApp(id, 0); // it ended before the engine published its port
        }
        removeContainer(id);
        throw new IllegalStateException("the Docker engine did not publish port " + containerPort + " on 127.0.0.1");
    }

    @Override
    public AppState state(RunningApp app) {
        InspectContainerResponse.ContainerState state;
        try {
            state = docker.inspectContainerCmd(app.containerId()).exec().getState();
        } catch (NotFoundException e) {
            throw new IllegalStateException("the test app's container " + app.containerId().substring(0, 12)
                    + " was removed while it was tested", e);
        }
        if (Boolean.TRUE.equals(state.getRunning())) {
            return AppState.isRunning();
        }
        Long code = state.getExitCodeLong();
        String error = state.getError() == null || state.getError().isBlank() ? null
                : PlainText.oneLine(PlainText.clean(state.getError()));
        // a container that never ran is "created" with the engine's reason; one that ran has a start time
        boolean neverRan = "created".equals(state.getStatus());
        return new AppState(false, code == null ? -1 : code.intValue(), Boolean.TRUE.equals(state.getOOMKilled()),
                neverRan ? (error == null ? "the Docker engine did not start it" : error) : null);
    }

    @Override
    public AppPorts ports(RunningApp app) {
        Optional<List<AppPorts.Listener>> listening = sockets.listening(app.containerId());
        List<Integer> exposed = List.of();
        try {
            String image = docker.inspectContainerCmd(app.containerId()).exec().getImageId();
            var config = docker.inspectImageCmd(image).exec().getConfig();
            if (config != null && config.getExposedPorts() != null) {
                exposed = Arrays.stream(config.getExposedPorts())
                        .filter(p -> p.getProtocol() == InternetProtocol.TCP)
                        .map(ExposedPort::getPort).sorted().distinct().toList();
            }
        } catch (RuntimeException e) {
            // the EXPOSE list is a hint: without it the failure says less, and is still right
        }
        return new AppPorts(listening, exposed);
    }

    @Override
    public String logs(RunningApp app, int lines) {
        return logs(app.containerId(), lines);
    }

    @Override
    public void cleanUp(RunningApp app, List<String> images) {
        if (app != null) {
            removeContainer(app.containerId());
        }
        images.forEach(image -> {
            try {
                DockerEngine.remove(docker, image);
            } catch (RuntimeException ignored) {
                // in use by another test of the same candidate, or already gone
            }
        });
    }

    @Override
    public int removeLeftovers() {
        Map<String, String> filter = Map.of(ROLE_LABEL, ROLE, INSTANCE_LABEL, instance);
        int removed = 0;
        for (var container : docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()) {
            removeContainer(container.getId());
            removed++;
        }
        for (var image : docker.listImagesCmd().withLabelFilter(filter).exec()) {
            DockerEngine.remove(docker, image.getId());
            removed++;
        }
        return removed;
    }

    /** Labels for the application image and containers of a run. */
    @Override
    public Map<String, String> labels(String runId) {
        return Map.of(ROLE_LABEL, ROLE, RUN_LABEL, runId, INSTANCE_LABEL, instance);
    }

    private static CreateContainerCmd withPlatform(CreateContainerCmd create, Platform platform) {
        return platform == null ? create : create.withPlatform(platform.toString());
    }

    private String logs(String containerId, int lines) {
        StringBuilder out = new StringBuilder();
        try {
            docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            out.append("(no log: ").append(EngineErrors.plainWords(e)).append(')');
        }
        return PlainText.clean(out.toString()).strip();
    }

    private void removeContainer(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException ignored) {
            // already gone
        }
    }
}
