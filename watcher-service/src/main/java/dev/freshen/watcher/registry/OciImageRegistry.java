package dev.freshen.watcher.registry;

import dev.freshen.descriptor.Target;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.VersionTag;
import dev.freshen.registry.ImageConfig;
import dev.freshen.registry.RegistryClient;
import dev.freshen.watcher.BuiltFrom;
import dev.freshen.watcher.ImageRegistry;
import dev.freshen.watcher.PublishedTags;
import dev.freshen.watcher.Upstream;

import java.util.List;
import java.util.Optional;

/**
 * Reads upstream digests and published images through the OCI distribution API: works for MCR, Docker Hub, GHCR,
 * Quay, ECR and any OCI registry. What a published image was built from comes from the labels of its newest version
 * tag (highest version of the target's prefix, never whatever {@code latest} points to). A base tag is resolved to the
 * image manifest of the image's platform ({@link RegistryClient#platformManifest}).
 */
public class OciImageRegistry implements ImageRegistry, PublishedTags {

    private final RegistryClient client;
    private final String targetRegistry;

    public OciImageRegistry(RegistryClient client, String targetRegistry) {
        this.client = client;
        this.targetRegistry = targetRegistry;
    }

    @Override
    public Optional<Upstream> upstream(ImageReference base, Platform platform) {
        return client.platformManifest(base, platform).map(m -> new Upstream(platform, m.tagDigest(), m.digest()));
    }

    @Override
    public Optional<BuiltFrom> builtFrom(Target target, Platform platform) {
        Optional<VersionTag> newest = VersionTag.highest(target.tagPrefix(), client.tags(targetRegistry, target.repository()));
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        ImageReference published = new ImageReference(targetRegistry, target.repository(), newest.get().tag(), null);
        Optional<Digest> digest = client.manifestDigest(published);
        if (digest.isEmpty()) {
            return Optional.empty(); // deleted between listing and reading
        }
        ImageConfig config = client.imageConfig(published.withDigest(digest.get()), platform.toString());
        return Optional.of(new BuiltFrom(newest.get().tag(), digest.get(), ImageLabels.builtFrom(config.labels())));
    }

    @Override
    public List<String> tags(Target target) {
        return client.tags(targetRegistry, target.repository());
    }

    @Override
    public Optional<Digest> digestOf(Target target, String tag) {
        return client.manifestDigest(new ImageReference(targetRegistry, target.repository(), tag, null));
    }
}
