package dev.freshen.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.freshen.events.Durations;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.Platform;
import dev.freshen.registry.Credentials;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The Docker engine Freshen works on ({@code DOCKER_HOST} honoured): client creation, push, pull, removal. */
public final class DockerEngine {

    private DockerEngine() {
    }

    /** A client for the engine named by {@code DOCKER_HOST} (default: the local Unix socket), zerodep transport. */
    public static DockerClient connect(Duration responseTimeout) {
        return connect(Duration.ofSeconds(10), responseTimeout);
    }

    /**
     * A client for the engine named by {@code DOCKER_HOST} with the given time-outs: to connect, and for the engine's
     * answer to each request (a build's answer streams for as long as the build runs).
     */
    public static DockerClient connect(Duration connectionTimeout, Duration responseTimeout) {
        DockerClientConfig config = config();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(16)
                .connectionTimeout(connectionTimeout)
                .responseTimeout(responseTimeout)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /**
     * The address of the engine {@link #connect} talks to, as {@code DOCKER_HOST} says it (environment variable or
     * system property, e.g. {@code tcp://127.0.0.1:2375}) or the default {@code unix:///var/run/docker.sock}.
     */
    public static String host() {
        return config().getDockerHost().toString();
    }

    private static DockerClientConfig config() {
        return DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    }

    /**
     * "Docker engine X (API Y) at unix:///var/run/docker.sock" for the start-up log.
     *
     * @throws IllegalStateException naming the engine's address and {@code DOCKER_HOST} when no engine answers
     */
    public static String describe(DockerClient docker) {
        try {
            var version = docker.versionCmd().exec();
            return "Docker engine " + version.getVersion() + " (API " + version.getApiVersion() + ") at " + host();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the Docker engine at " + host() + " is not reachable: "
                    + EngineErrors.plainWords(e) + " (start it, or point DOCKER_HOST at a running engine)", e);
        }
    }

    /**
     * The platform the engine runs containers of natively: its {@code /info} {@code OSType} and {@code Architecture},
     * normalised ({@code x86_64} is {@code linux/amd64}, {@code aarch64} is {@code linux/arm64}). Every other platform
     * is built and run under emulation, when the host has it.
     *
     * @throws IllegalStateException naming the engine's address when no engine answers
     */
    public static Platform nativePlatform(DockerClient docker) {
        try {
            var info = docker.infoCmd().exec();
            return new Platform(info.getOsType() == null ? "linux" : info.getOsType(), info.getArchitecture(), null);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the Docker engine at " + host() + " is not reachable: "
                    + EngineErrors.plainWords(e) + " (start it, or point DOCKER_HOST at a running engine)", e);
        }
    }

    /**
     * Pushes {@code repository:tag} (repository includes the registry host) and returns the digest the registry gave
     * the manifest.
     */
    public static Digest push(DockerClient docker, String repository, String tag, Credentials credentials, Duration timeout) {
        AtomicReference<String> digest = new AtomicReference<>();
        AtomicReference<String> error = new AtomicReference<>();
        var command = docker.pushImageCmd(repository).withTag(tag);
        if (credentials != null) {
            command.withAuthConfig(RegistryAuths.authConfig(repository.substring(0, repository.indexOf('/')), credentials));
        }
        try {
            var callback = command.exec(new ResultCallback.Adapter<PushResponseItem>() {
                @Override
                public void onNext(PushResponseItem item) {
                    if (item.getAux() != null && item.getAux().getDigest() != null) {
                        digest.set(item.getAux().getDigest());
                    }
                    if (item.getErrorDetail() != null || item.getError() != null) {
                        error.set(item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError());
                    }
                }
            });
            if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                callback.close();
                throw BuildFailure.transientFailure(BuildFailure.PUSH_FAILED, "push of " + repository + ":" + tag + " timed out after "
                        + Durations.human(timeout), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BuildFailure.transientFailure(BuildFailure.PUSH_FAILED, "interrupted while pushing", e);
        } catch (java.io.IOException | RuntimeException e) {
            if (e instanceof BuildFailure failure) {
                throw failure;
            }
            throw BuildFailure.transientFailure(BuildFailure.PUSH_FAILED, "push of " + repository + ":" + tag + " failed: "
                    + EngineErrors.plainWords(e), e);
        }
        if (error.get() != null) {
            throw BuildFailure.transientFailure(BuildFailure.PUSH_FAILED, "push of " + repository + ":" + tag + " failed: " + error.get(), null);
        }
        if (digest.get() == null) {
            throw BuildFailure.transientFailure(BuildFailure.PUSH_FAILED, "the registry did not report a digest for " + repository + ":" + tag, null);
        }
        return Digest.parse(digest.get());
    }

    /** Pulls exactly {@code repository@digest}; nothing that a tag could move. */
    public static void pull(DockerClient docker, String repository, Digest digest, Credentials credentials, Duration timeout) {
        var command = docker.pullImageCmd(repository).withTag(digest.toString());
        if (credentials != null) {
            command.withAuthConfig(RegistryAuths.authConfig(repository.substring(0, repository.indexOf('/')), credentials));
        }
        try {
            if (!command.start().awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw BuildFailure.transientFailure(BuildFailure.REGISTRY_ERROR, "pull of " + repository + "@" + digest + " timed out after "
                        + Durations.human(timeout), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BuildFailure.transientFailure(BuildFailure.REGISTRY_ERROR, "interrupted while pulling", e);
        } catch (NotFoundException e) {
            throw BuildFailure.permanent(BuildFailure.IMAGE_MISSING, repository + "@" + digest + " does not exist in the registry");
        } catch (RuntimeException e) {
            if (e instanceof BuildFailure failure) {
                throw failure;
            }
            throw BuildFailure.transientFailure(BuildFailure.REGISTRY_ERROR, "pull of " + repository + "@" + digest + " failed: "
                    + EngineErrors.plainWords(e), e);
        }
    }

    /** Removes a local image (by id or tag); an image already gone is fine. */
    public static void remove(DockerClient docker, String image) {
        try {
            docker.removeImageCmd(image).withForce(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }
}
