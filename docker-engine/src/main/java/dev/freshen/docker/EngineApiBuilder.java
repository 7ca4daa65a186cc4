package dev.freshen.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.freshen.events.Durations;
import dev.freshen.registry.Credentials;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Builds through the Docker Engine API (docker-java): the classic builder, which rejects BuildKit-only syntax.
 *
 * <p>The context goes to the engine as the docker CLI sends it ({@link BuildContext}): the files the folder's
 * {@code .dockerignore} leaves in by Docker's rules ({@link DockerIgnore}), whatever it says about the Dockerfile, and
 * the pinned Dockerfile under a hidden name; the platform image folder is never changed.
 *
 * <p>Failures: what is wrong with the build's input (a context that cannot be read, a malformed {@code .dockerignore}
 * pattern, a Dockerfile the engine refuses, a step that fails) is permanent with the engine's own words; only an engine
 * that cannot be reached, or that fails in itself (an answer 5xx about something other than the input), is transient.
 */
public class EngineApiBuilder implements ImageBuilder {

    /**
     * Answers 5xx of the engine's /build that are about the input, not the engine (Engine 20.10 answers them 500):
     * the Dockerfile missing from the context, a Dockerfile path out of it, a tar the engine cannot read
     * ({@code moby/moby: builder/remotecontext/detect.go}, {@code pkg/archive}).
     */
    private static final Pattern INPUT_ERROR = Pattern.compile("(?i)cannot locate specified dockerfile|forbidden path outside"
            + "|outside the build context|archive/tar|invalid tar header|dockerfile parse error");

    private final DockerClient docker;

    public EngineApiBuilder(DockerClient docker) {
        this.docker = docker;
    }

    @Override
    public String name() {
        return "engine-api";
    }

    @Override
    public String build(BuildSpec spec, BuildLog log) {
        Path tar = null;
        try {
            tar = Files.createTempFile("freshen-context-", ".tar");
            String dockerfilePath;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar))) {
                dockerfilePath = BuildContext.write(spec.context(), spec.dockerfile(), out);
            } catch (IOException e) {
                throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "cannot write the build context to "
                        + tar + ": " + EngineErrors.plainWords(e), e);
            }
            try (InputStream context = new BufferedInputStream(Files.newInputStream(tar))) {
                return build(spec, log, context, dockerfilePath);
            }
        } catch (IOException e) {
            throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "cannot prepare the build context of "
                    + spec.context() + ": " + EngineErrors.plainWords(e), e);
        } finally {
            if (tar != null) {
                tar.toFile().delete();
            }
        }
    }

    private String build(BuildSpec spec, BuildLog log, InputStream context, String dockerfilePath) {
        log.redact(spec.registryCredentials().values().stream().map(Credentials::password).toList());
        try {
            BuildImageCmd command = docker.buildImageCmd(context)
                    .withDockerfilePath(dockerfilePath)
                    .withLabels(spec.labels())
                    .withTags(Set.of(spec.tag()))
                    .withRemove(true)
                    .withForcerm(true);
            if (spec.platform() != null) {
                command.withPlatform(spec.platform());
            }
            spec.buildArgs().forEach(command::withBuildArg);
            if (!spec.registryCredentials().isEmpty()) {
                // X-Registry-Config: the engine pulls the bases with these (moby: registry.ResolveAuthConfig)
                command.withBuildAuthConfigs(RegistryAuths.engineApi(spec.registryCredentials()));
            }
            AtomicReference<String> imageId = new AtomicReference<>();
            AtomicReference<String> error = new AtomicReference<>();
            ResultCallback.Adapter<BuildResponseItem> callback = command.exec(new ResultCallback.Adapter<>() {
                @Override
                public void onNext(BuildResponseItem item) {
                    if (item.getStream() != null) {
                        log.append(item.getStream());
                    }
                    if (item.getErrorDetail() != null || item.getError() != null) {
                        String message = item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError();
                        error.set(message);
                        log.append(message);
                    }
                    if (item.isBuildSuccessIndicated()) {
                        imageId.set(item.getImageId());
                    }
                }
            });
            if (!callback.awaitCompletion(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                callback.close();
                throw BuildFailure.permanent(BuildFailure.TIMED_OUT, "build timed out after " + Durations.human(spec.timeout()) + " and was cancelled"
                        + step(log));
            }
            if (error.get() != null) {
                String reason = RegistryAuths.redact(error.get(), spec.registryCredentials()).strip();
                BuildFailure refused = RegistryAuths.refused(reason, log.currentStep(), spec.registryCredentials());
                throw refused != null ? refused
                        : BuildFailure.permanent(BuildFailure.STEP_FAILED, "build failed" + step(log) + ": " + reason);
            }
            if (imageId.get() == null) {
                throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "the Docker engine ended the build without an image id", null);
            }
            return imageId.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "interrupted while building", e);
        } catch (IOException e) {
            throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "lost the Docker engine while building: " + EngineErrors.plainWords(e), e);
        } catch (RuntimeException e) {
            if (e instanceof BuildFailure failure) {
                throw failure;
            }
            throw redacted(classify(e), spec);
        }
    }

    /** {@code failure} with the build's passwords redacted from its reason (its cause dropped when it had any). */
    private static BuildFailure redacted(BuildFailure failure, BuildSpec spec) {
        String reason = RegistryAuths.redact(failure.getMessage(), spec.registryCredentials());
        return reason.equals(failure.getMessage()) ? failure
                : new BuildFailure(failure.kind(), failure.code(), reason, null);
    }

    /**
     * A failure docker-java raised on the build: the engine's answer 4xx, or 5xx about the input, is permanent
     * ({@link BuildFailure#CONTEXT_INVALID}); another answer of the engine is its own trouble, and no answer at all
     * means it is not reachable (both transient).
     */
    static BuildFailure classify(RuntimeException e) {
        DockerException answer = null;
        for (Throwable t = e; t != null && answer == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DockerException d && d.getHttpStatus() > 0) {
                answer = d;
            }
        }
        if (answer == null) {
            return BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR,
                    "the Docker engine is not reachable: " + EngineErrors.plainWords(e), e);
        }
        String message = EngineErrors.plainWords(answer);
        int status = answer.getHttpStatus();
        if (status >= 400 && status < 500 || INPUT_ERROR.matcher(message).find()) {
            return BuildFailure.permanent(BuildFailure.CONTEXT_INVALID, "the Docker engine refused the build: " + message);
        }
        return BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "the Docker engine failed the build: " + message, e);
    }

    static String step(BuildLog log) {
        return log.currentStep() == null ? "" : " at " + log.currentStep();
    }
}
