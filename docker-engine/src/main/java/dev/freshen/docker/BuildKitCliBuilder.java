package dev.freshen.docker;

import dev.freshen.events.Durations;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds with BuildKit through the docker CLI ({@code DOCKER_BUILDKIT=1 docker build}), for Dockerfiles that use
 * BuildKit-only syntax ({@code RUN --mount}, {@code COPY --chmod}, heredocs). The pinned Dockerfile goes in on standard
 * input ({@code -f -}), so the context folder is used as it is. Same labels, log capture and result as the Engine API.
 */
public class BuildKitCliBuilder implements ImageBuilder {

    private final String dockerCli;

    /** @param dockerCli the docker CLI with BuildKit built in or the buildx plugin, e.g. /usr/bin/docker */
    public BuildKitCliBuilder(String dockerCli) {
        this.dockerCli = dockerCli;
    }

    @Override
    public String name() {
        return "buildkit";
    }

    @Override
    public String build(BuildSpec spec, BuildLog log) {
        Path idFile = null;
        Process process = null;
        try {
            idFile = Files.createTempFile("freshen-iid-", ".txt");
            List<String> command = new ArrayList<>(List.of(dockerCli, "build", "--progress=plain", "-f", "-",
                    "-t", spec.tag(), "--iidfile", idFile.toString()));
            spec.labels().forEach((k, v) -> command.addAll(List.of("--label", k + "=" + v)));
            spec.buildArgs().forEach((k, v) -> command.addAll(List.of("--build-arg", k + "=" + v)));
            command.add(spec.context().toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("DOCKER_BUILDKIT", "1");
            process = builder.start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(spec.dockerfile().getBytes(StandardCharsets.UTF_8));
            }
            Process running = process;
            Thread reader = new Thread(() -> pump(running, log), "buildkit-log");
            reader.start();
            if (!process.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw BuildFailure.permanent(BuildFailure.TIMED_OUT, "build timed out after " + Durations.human(spec.timeout()) + " and was cancelled"
                        + EngineApiBuilder.step(log));
            }
            reader.join(5_000);
            if (process.exitValue() != 0) {
                String tail = log.tail();
                if (tail.contains("Cannot connect to the Docker daemon") || tail.contains("error during connect")) {
                    throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "the Docker engine is not reachable: " + lastLine(tail), null);
                }
                throw BuildFailure.permanent(BuildFailure.STEP_FAILED, "build failed" + EngineApiBuilder.step(log) + ": " + lastLine(tail));
            }
            return Files.readString(idFile).strip();
        } catch (IOException e) {
            throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "cannot run " + dockerCli + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (process != null) {
                process.destroyForcibly();
            }
            throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "interrupted while building", e);
        } finally {
            if (idFile != null) {
                idFile.toFile().delete();
            }
        }
    }

    private static void pump(Process process, BuildLog log) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                log.append(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }
}
