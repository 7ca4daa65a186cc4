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
import dev.freshen.registry.ImageConfig;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistryException;
import dev.freshen.retry.StopRequested;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Candidates pushed through the Docker engine (which has the built image); bases and published versions looked up
 * through the registry API.
 */
public class EngineCandidateStore implements CandidateStore {

    private static final Logger LOG = Logger.getLogger(EngineCandidateStore.class);

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
    public Manifest pushPlatform(String localTag, String repository, String tag) {
        Digest digest = pushAndRemove(localTag, repository, tag);
        ImageReference pushed = ImageReference.parse(repository + "@" + digest);
        try {
            return registry.manifest(pushed).orElseThrow(() -> BuildFailure.transientFailure(BuildFailure.PUSH_FAILED,
                    "the registry does not have " + pushed + " right after its push", null));
        } catch (RegistryException e) {
            throw registryFailure(pushed, e);
        }
    }

    @Override
    public ImageConfig childConfig(ImageReference child) {
        try {
            return registry.imageConfig(child);
        } catch (RegistryException e) {
            throw registryFailure(child, e);
        }
    }

    @Override
    public Digest putIndex(String repository, String tag, List<ImageIndexes.Entry> entries, Map<String, String> annotations) {
        int slash = repository.indexOf('/');
        try {
            return registry.putManifest(repository.substring(0, slash), repository.substring(slash + 1), tag,
                    ImageIndexes.write(entries, annotations));
        } catch (RegistryException e) {
            String reason = "cannot put the image index " + repository + ":" + tag + ": " + e.getMessage();
            throw e.isTransient() ? BuildFailure.transientFailure(BuildFailure.PUSH_FAILED, reason, e)
                    : BuildFailure.permanent(BuildFailure.PUSH_FAILED, reason);
        }
    }

    @Override
    public void deleteStaged(String repository, Digest digest) {
        int slash = repository.indexOf('/');
        try {
            registry.deleteManifest(repository.substring(0, slash), repository.substring(slash + 1), digest);
        } catch (RuntimeException e) {
            LOG.warnf("Could not delete %s@%s from staging (%s); the staging lifecycle rule or a later clean-up removes"
                    + " it", repository, digest, e.getMessage());
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
        return registry.imageConfigFor(published.withDigest(digest.get()), platform)
                .map(config -> ImageLabels.builtFrom(config.labels())).orElse(Map.of());
    }

    private static BuildFailure registryFailure(ImageReference ref, RegistryException e) {
        String reason = "registry error for " + ref + ": " + e.getMessage();
        return e.isTransient() ? BuildFailure.transientFailure(BuildFailure.REGISTRY_ERROR, reason, e)
                : BuildFailure.permanent(BuildFailure.REGISTRY_ERROR, reason);
    }
}
