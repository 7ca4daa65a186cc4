package dev.freshen.tester;

import dev.freshen.docker.BuildLog;
import dev.freshen.docker.BuildSpec;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the tester does on a Docker engine. Every container and image it makes carries the run id, the tester's role
 * and its instance id as labels, so that whatever a crashed attempt of this instance left behind can be found and
 * removed without touching the work of other testers on the same engine.
 *
 * <p>A {@code platform} parameter is the platform of a multi-platform candidate's child the call is about
 * ({@code linux/arm64}): pulled for it, containers created and run for it (a platform that is not the engine's own
 * runs under QEMU user emulation). Null is the engine's own choice, as for a single-platform candidate.
 */
public interface CandidateRuntime {

    /** The engine's own platform ({@code linux/amd64} on an x86-64 host): what it runs without emulation. */
    Platform nativePlatform();

    /** Pulls the candidate (or a child of it) by digest. */
    void pull(ImageReference pinned, Platform platform);

    ImageFacts inspect(ImageReference pinned);

    /** Whether {@code path} exists in the image (works without a shell in the image). */
    boolean fileExists(ImageReference pinned, String path, String runId, Platform platform);

    /** Runs {@code argv} as the entrypoint of a throw-away container of the image. */
    CommandResult run(ImageReference pinned, List<String> argv, Duration timeout, String runId, Platform platform);

    /** The labels of the application image of a run (the build puts them on it). */
    Map<String, String> labels(String runId);

    /**
     * Builds the integration-test application (for {@link BuildSpec#platform()}, null: the engine's own), with BuildKit
     * when {@code buildKit}; returns its image id.
     */
    String buildApp(BuildSpec spec, BuildLog log, boolean buildKit);

    /**
     * Starts the application with {@code containerPort} published on 127.0.0.1 on a free port. An application that
     * ends at once, or that the engine cannot start (its command does not exist), is no failure here: the result is
     * not {@linkplain RunningApp#published() published} then, and {@link #state} says how it ended.
     *
     * @throws RuntimeException when the engine fails (it is not reachable, or does not publish the port of a running
     *                          container)
     */
    RunningApp start(String image, int containerPort, String runId, Platform platform);

    /**
     * How the application's container is.
     *
     * @throws RuntimeException when the engine fails, or the container is gone
     */
    AppState state(RunningApp app);

    /** The TCP sockets the application's running container listens on (as far as they can be read) and its EXPOSE list. */
    AppPorts ports(RunningApp app);

    /** The last lines of the application's output, escape sequences and control characters removed. */
    String logs(RunningApp app, int lines);

    /** Removes the container and the images of one test; never fails. */
    void cleanUp(RunningApp app, List<String> images);

    /** Removes what earlier attempts of this instance left (crashes); returns how many things it removed. */
    int removeLeftovers();
}
