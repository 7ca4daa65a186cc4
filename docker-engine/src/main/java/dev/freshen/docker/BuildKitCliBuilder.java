package dev.freshen.docker;

import dev.freshen.descriptor.context.ContextException;
import dev.freshen.descriptor.context.ContextFiles;
import dev.freshen.events.Durations;
import dev.freshen.registry.Credentials;

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
import java.util.regex.Pattern;

/**
 * Builds with BuildKit through the docker CLI ({@code DOCKER_BUILDKIT=1 docker build}), for Dockerfiles that use
 * BuildKit-only syntax ({@code RUN --mount}, {@code COPY --chmod}, heredocs). The pinned Dockerfile goes in on standard
 * input ({@code -f -}), so the context folder is used as it is. Same labels, log capture and result as the Engine API.
 */
public class BuildKitCliBuilder implements ImageBuilder {

    /** The docker CLI's words for an engine it cannot reach ("failed to dial gRPC: cannot connect ..." with BuildKit). */
    private static final Pattern ENGINE_UNREACHABLE = Pattern.compile("(?i)cannot connect to the docker daemon"
            + "|error during connect|failed to dial grpc|is the docker daemon running");
    /**
     * The docker CLI's and BuildKit's words for input refused before a step ran: the context ("unable to prepare
     * context", "error from sender: ..."), the Dockerfile ("failed to read dockerfile", "dockerfile parse error").
     */
    private static final Pattern INPUT_ERROR = Pattern.compile("(?i)unable to prepare context|error from sender"
            + "|failed to read dockerfile|dockerfile parse error|failed to create llb definition");

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
        checkDockerIgnore(spec.context());
        Path idFile = null;
        Path dockerConfig = null;
        Process process = null;
        log.redact(spec.registryCredentials().values().stream().map(Credentials::password).toList());
        try {
            idFile = Files.createTempFile("freshen-iid-", ".txt");
            List<String> command = new ArrayList<>(List.of(dockerCli, "build", "--progress=plain", "-f", "-",
                    "-t", spec.tag(), "--iidfile", idFile.toString()));
            spec.labels().forEach((k, v) -> command.addAll(List.of("--label", k + "=" + v)));
            spec.buildArgs().forEach((k, v) -> command.addAll(List.of("--build-arg", k + "=" + v)));
            if (spec.platform() != null) {
                command.addAll(List.of("--platform", spec.platform()));
            }
            command.add(spec.context().toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("DOCKER_BUILDKIT", "1");
            if (!spec.registryCredentials().isEmpty()) {
                // the CLI hands BuildKit the credentials of its config (session auth): only this build's registries
                dockerConfig = RegistryAuths.configDirectory(spec.registryCredentials());
                builder.environment().put("DOCKER_CONFIG", dockerConfig.toString());
            }
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
                BuildFailure failure = failure(log);
                BuildFailure refused = failure.code().equals(BuildFailure.ENGINE_ERROR) ? null
                        : RegistryAuths.refused(lastLine(log.tail()),
                        log.currentStep(), spec.registryCredentials());
                throw refused != null ? refused : failure;
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
            if (dockerConfig != null) {
                RegistryAuths.delete(dockerConfig);
            }
        }
    }

    /**
     * What a failed {@code docker build} was about, from its last line (the CLI's error): an engine the CLI could not reach (transient;
     * the words of the docker CLI 20.10 and later, with BuildKit or without), input the CLI or BuildKit refused before
     * any step ran (a context that cannot be read or sent, a Dockerfile that does not parse: permanent
     * {@link BuildFailure#CONTEXT_INVALID}), else the step that failed (permanent).
     */
    static BuildFailure failure(BuildLog log) {
        String last = lastLine(log.tail());
        // the last line only: a step's own output may talk about a daemon it cannot reach
        if (ENGINE_UNREACHABLE.matcher(last).find()) {
            return BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "the Docker engine is not reachable: " + last, null);
        }
        if (INPUT_ERROR.matcher(last).find()) {
            return BuildFailure.permanent(BuildFailure.CONTEXT_INVALID, "docker build refused the build's input: " + last);
        }
        return BuildFailure.permanent(BuildFailure.STEP_FAILED, "build failed" + EngineApiBuilder.step(log) + ": " + last);
    }

    /**
     * Refuses a malformed {@code .dockerignore} pattern before the CLI runs, with the same reason as the Engine API
     * path (the CLI would say "error from sender: invalid excludepatterns" without the line).
     */
    private static void checkDockerIgnore(Path context) {
        try {
            ContextFiles.dockerIgnore(context);
        } catch (ContextException e) {
            throw BuildFailure.permanent(BuildFailure.CONTEXT_INVALID, e.getMessage());
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
