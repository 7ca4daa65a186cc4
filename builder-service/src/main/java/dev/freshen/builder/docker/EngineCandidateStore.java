package dev.freshen.builder.docker;

import dev.freshen.docker.DockerEngine;
import dev.freshen.docker.BuildFailure;
import com.github.dockerjava.api.DockerClient;
import dev.freshen.builder.CandidateStore;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.VersionTag;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistryException;
import dev.freshen.retry.StopRequested;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Candidates pushed through the Docker engine (which has the built image); bases and published versions looked up
 * through the registry API.
 */
public class EngineCandidateStore implements CandidateStore {

    private final DockerClient docker;
    private final RegistryClient registry;
    private final Duration pushTimeout;

    public EngineCandidateStore(DockerClient docker, RegistryClient registry, Duration pushTimeout) {
        this.docker = docker;
        this.registry = registry;
        this.pushTimeout = pushTimeout;
    }

    @Override
    public Optional<Digest> platformDigest(ImageReference ref, Platform platform) {
        try {
            return registry.platformManifest(ref, platform).map(m -> m.digest());
        } catch (RegistryException e) {
            throw registryFailure(ref, e);
        }
    }

    @Override
    public Digest pushAndRemove(String localTag, String repository, String tag) {
        String target = repository + ":" + tag;
        try {
            docker.tagImageCmd(localTag, repository, tag).exec();
            String host = repository.substring(0, repository.indexOf('/'));
            return DockerEngine.push(docker, repository, tag, registry.credentialsFor(host).orElse(null), pushTimeout);
        } catch (BuildFailure | StopRequested e) {
            throw e;
        } catch (RuntimeException e) {
            throw BuildFailure.transientFailure(BuildFailure.PUSH_FAILED, "cannot push " + target + ": " + e.getMessage(), e);
        } finally {
            removeLocal(target);
            removeLocal(localTag);
        }
    }

    @Override
    public void removeLocal(String localTag) {
        try {
            DockerEngine.remove(docker, localTag);
        } catch (RuntimeException ignored) {
            // best effort: the image may never have been built
        }
    }

    @Override
    public Map<ImageReference, Digest> publishedBases(String host, String repository, String tagPrefix,
                                                      Platform platform) {
        Optional<VersionTag> newest = VersionTag.highest(tagPrefix, registry.tags(host, repository));
        if (newest.isEmpty()) {
            return Map.of();
        }
        ImageReference published = new ImageReference(host, repository, newest.get().tag(), null);
        Optional<Digest> digest = registry.manifestDigest(published);
        if (digest.isEmpty()) {
            return Map.of(); // deleted between listing and reading
        }
        return ImageLabels.builtFrom(registry.imageConfig(published.withDigest(digest.get()), platform.toString()).labels());
    }

    private static BuildFailure registryFailure(ImageReference ref, RegistryException e) {
        String reason = "registry error for " + ref + ": " + e.getMessage();
        return e.isTransient() ? BuildFailure.transientFailure(BuildFailure.REGISTRY_ERROR, reason, e)
                : BuildFailure.permanent(BuildFailure.REGISTRY_ERROR, reason);
    }
}
