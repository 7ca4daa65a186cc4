package dev.freshen.builder;

import dev.freshen.docker.BuildFailure;
import dev.freshen.docker.EnginePlatforms;
import dev.freshen.events.Durations;

/**
 * What to do about a failed build: one hint per problem code, so that a kind of build failure reads the same in every
 * run and every channel (card, CLI, API show {@code PipelineFailed.reason}, then the hint). Problem codes of the build
 * stage are those of {@link BuildFailure} ({@code build-step-failed}, {@code build-context-invalid},
 * {@code build-timed-out}, {@code docker-engine-error}, {@code push-failed}, {@code image-missing},
 * {@code registry-error}), plus
 * {@code descriptor-invalid}, {@code dockerfile-invalid} and {@code unknown-image} when the builder cannot use the
 * image's folder, {@code definition-mismatch} when its folder defines another image than the watcher's, and
 * {@code dockerfile-frontend-unavailable} when the engine cannot fetch the frontend that a {@code # syntax=} line
 * names, and {@code platform-unsupported} when the engine cannot build one of the image's platforms.
 */
public final class BuildProblems {

    /**
     * The builder finds the image's folder but cannot use it: its descriptor, Dockerfile or {@code .dockerignore} has a
     * problem (the one the watcher reports).
     */
    public static final String DESCRIPTOR_INVALID = "descriptor-invalid";
    /** The image's Dockerfile cannot be read or its bases pinned (it changed since the watcher read it). */
    public static final String DOCKERFILE_INVALID = "dockerfile-invalid";
    /** The Docker engine cannot fetch the Dockerfile frontend image that the file's {@code # syntax=} directive names. */
    public static final String FRONTEND_UNAVAILABLE = "dockerfile-frontend-unavailable";
    /**
     * The image's definition in the builder's platform-images folder is not the one the watcher started the run for
     * (the two services read different copies of the folder, e.g. during a rollout): transient.
     */
    public static final String DEFINITION_MISMATCH = "definition-mismatch";
    /**
     * The builder's Docker engine cannot build one of the image's platforms (no emulator for a foreign platform), or
     * built another platform than asked: permanent, found before anything is pushed.
     */
    public static final String PLATFORM_UNSUPPORTED = EnginePlatforms.PLATFORM_UNSUPPORTED;
    /** The builder finds no folder of the image. */
    public static final String UNKNOWN_IMAGE = "unknown-image";

    private BuildProblems() {
    }

    /**
     * One sentence saying what to do about {@code code} for image {@code imageId} built with {@code settings}; null
     * for a code without advice.
     */
    public static String hint(String code, String imageId, BuildSettings settings) {
        String dockerfile = imageId + "/Dockerfile";
        return switch (code) {
            case BuildFailure.STEP_FAILED -> "Fix that instruction of " + dockerfile + " (the log excerpt shows its "
                    + "output); 'DOCKER_BUILDKIT=1 docker build " + imageId + "' in the platform-images folder builds "
                    + "it the same way.";
            case BuildFailure.CONTEXT_INVALID -> "Fix what the reason names in the folder " + imageId + " (its "
                    + "Dockerfile, its .dockerignore, or a file the build cannot read); 'DOCKER_BUILDKIT=1 docker build "
                    + imageId + "' in the platform-images folder shows the same error, and a fixed folder is built at "
                    + "the next check.";
            case BuildFailure.TIMED_OUT -> "Find the step that hangs (often one that waits on the network) in the log "
                    + "excerpt, or raise freshen.builder.build-timeout (now " + Durations.human(settings.buildTimeout())
                    + ").";
            case BuildFailure.IMAGE_MISSING -> "Check the FROM lines of " + dockerfile + ": the name or tag is wrong, or "
                    + "the image was removed from its registry; a fixed Dockerfile is built at the next check.";
            case BuildFailure.REGISTRY_ERROR -> "Check that the registry named in the reason is reachable from the "
                    + "builder and that its credentials (freshen.registries.credentials.*, or ECR through the AWS "
                    + "credentials) allow reading; then 'freshen force-update " + imageId + "'.";
            case BuildFailure.PUSH_FAILED -> "Check that the staging registry "
                    + settings.staging().registryFor(settings.targetRegistry()) + " is reachable from the builder's Docker engine and accepts pushes with "
                    + "the builder's credentials; then 'freshen force-update " + imageId + "'.";
            case BuildFailure.ENGINE_ERROR -> "Check the builder's Docker engine ('docker info' where the builder "
                    + "runs); the builder stops taking work while it is away; then 'freshen force-update " + imageId
                    + "'.";
            case DESCRIPTOR_INVALID -> "Fix what 'freshen status " + imageId + "' lists for the image (its "
                    + "platform-image.yaml, Dockerfile or .dockerignore); the watcher checks it again once it is fixed.";
            case DOCKERFILE_INVALID -> "Fix " + dockerfile + " at the line the reason names ('freshen status " + imageId
                    + "' shows the same problem once the watcher reads it again); then 'freshen force-update " + imageId
                    + "'.";
            case FRONTEND_UNAVAILABLE -> "Let the builder's Docker engine pull the frontend that the '# syntax=' line of "
                    + dockerfile + " names (or point the line at a mirror of it in a registry the engine reaches); "
                    + "without that line the engine's own, older frontend reads the file, and docker 20.10's cannot "
                    + "read heredocs. Then 'freshen force-update " + imageId + "'.";
            case DEFINITION_MISMATCH -> "The watcher and the builder read different copies of the platform-images "
                    + "folder (a rollout in progress, or a copy that was not updated): roll out the same platform-images "
                    + "to every service, then 'freshen force-update " + imageId + "'.";
            case PLATFORM_UNSUPPORTED -> "Let the builder's Docker engine run that platform's programs: register QEMU "
                    + "user emulation for it with the fix-binary flag on the engine's host (deploy/local/stack.sh up "
                    + "emulation; on Kubernetes the binfmt-qemu addon) and restart the Docker daemon if it started "
                    + "before; or take the platform out of 'platforms' in " + imageId + "/platform-image.yaml. Then "
                    + "'freshen force-update " + imageId + "'.";
            case UNKNOWN_IMAGE -> "The folder " + imageId + " is not in the builder's platform-images folder: mount the "
                    + "same folder into every service (freshen.platform-images-dir).";
            default -> null;
        };
    }
}
