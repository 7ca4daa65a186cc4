package dev.freshen.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.freshen.events.image.Digest;
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
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(16)
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(responseTimeout)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /**
     * "Docker engine X (API Y)" for the start-up log.
     *
     * @throws IllegalStateException naming {@code DOCKER_HOST} when no engine answers
     */
    public static String describe(DockerClient docker) {
        try {
            var version = docker.versionCmd().exec();
            return "Docker engine " + version.getVersion() + " (API " + version.getApiVersion() + ")";
        } catch (RuntimeException e) {
            throw new IllegalStateException("the Docker engine is not reachable (DOCKER_HOST=" + System.getenv("DOCKER_HOST")
                    + "): " + e.getMessage(), e);
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
            command.withAuthConfig(new AuthConfig().withUsername(credentials.username()).withPassword(credentials.password())
                    .withRegistryAddress(repository.substring(0, repository.indexOf('/'))));
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
                throw BuildFailure.transientFailure("push of " + repository + ":" + tag + " timed out after " + timeout, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BuildFailure.transientFailure("interrupted while pushing", e);
        } catch (java.io.IOException | RuntimeException e) {
            if (e instanceof BuildFailure failure) {
                throw failure;
            }
            throw BuildFailure.transientFailure("push of " + repository + ":" + tag + " failed: " + e.getMessage(), e);
        }
        if (error.get() != null) {
            throw BuildFailure.transientFailure("push of " + repository + ":" + tag + " failed: " + error.get(), null);
        }
        if (digest.get() == null) {
            throw BuildFailure.transientFailure("the registry did not report a digest for " + repository + ":" + tag, null);
        }
        return Digest.parse(digest.get());
    }

    /** Pulls exactly {@code repository@digest}; nothing that a tag could move. */
    public static void pull(DockerClient docker, String repository, Digest digest, Credentials credentials, Duration timeout) {
        var command = docker.pullImageCmd(repository).withTag(digest.toString());
        if (credentials != null) {
            command.withAuthConfig(new AuthConfig().withUsername(credentials.username()).withPassword(credentials.password())
                    .withRegistryAddress(repository.substring(0, repository.indexOf('/'))));
        }
        try {
            if (!command.start().awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw BuildFailure.transientFailure("pull of " + repository + "@" + digest + " timed out after " + timeout, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BuildFailure.transientFailure("interrupted while pulling", e);
        } catch (NotFoundException e) {
            throw BuildFailure.permanent(repository + "@" + digest + " does not exist in the registry");
        } catch (RuntimeException e) {
            if (e instanceof BuildFailure failure) {
                throw failure;
            }
            throw BuildFailure.transientFailure("pull of " + repository + "@" + digest + " failed: " + e.getMessage(), e);
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
