package dev.freshen.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.freshen.events.Durations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Builds through the Docker Engine API (docker-java): the classic builder, which rejects BuildKit-only syntax.
 * The context is copied to a scratch folder with the pinned Dockerfile beside it, so the platform image folder is
 * never changed.
 */
public class EngineApiBuilder implements ImageBuilder {

    static final String PINNED_DOCKERFILE = "Dockerfile.freshen-pinned";

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
        Path scratch = copyContext(spec);
        try {
            BuildImageCmd command = docker.buildImageCmd()
                    .withBaseDirectory(scratch.toFile())
                    .withDockerfile(scratch.resolve(PINNED_DOCKERFILE).toFile())
                    .withLabels(spec.labels())
                    .withTags(Set.of(spec.tag()))
                    .withRemove(true)
                    .withForcerm(true);
            spec.buildArgs().forEach(command::withBuildArg);
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
                throw BuildFailure.permanent(BuildFailure.STEP_FAILED, "build failed" + step(log) + ": " + error.get().strip());
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
            throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "the Docker engine is not reachable: " + EngineErrors.plainWords(e), e);
        } finally {
            delete(scratch);
        }
    }

    static String step(BuildLog log) {
        return log.currentStep() == null ? "" : " at " + log.currentStep();
    }

    private static Path copyContext(BuildSpec spec) {
        try {
            Path scratch = Files.createTempDirectory("freshen-build-");
            try (Stream<Path> files = Files.walk(spec.context())) {
                for (Path source : files.toList()) {
                    Path target = scratch.resolve(spec.context().relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            Files.writeString(scratch.resolve(PINNED_DOCKERFILE), spec.dockerfile());
            return scratch;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the build context of " + spec.context(), e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a scratch folder left in the temp dir is harmless
        }
    }
}
