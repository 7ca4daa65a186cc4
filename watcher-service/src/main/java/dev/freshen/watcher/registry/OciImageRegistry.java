package dev.freshen.watcher.registry;

import dev.freshen.descriptor.Target;
import dev.freshen.descriptor.definition.Definition;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.VersionTag;
import dev.freshen.registry.RegistryClient;
import dev.freshen.watcher.BuiltFrom;
import dev.freshen.watcher.ImageRegistry;
import dev.freshen.watcher.PublishedTags;
import dev.freshen.watcher.Upstream;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads upstream digests and published images through the OCI distribution API: works for MCR, Docker Hub, GHCR,
 * Quay, ECR and any OCI registry. What a published image was built from comes from the labels of its newest version
 * tag (highest version of the target's prefix, never whatever {@code latest} points to). A base tag is resolved to the
 * image manifest of the image's platform ({@link RegistryClient#platformManifest}).
 *
 * <p>The labels of the newest version are kept per target and platform, keyed by its manifest digest (content under a
 * digest never changes): while the newest version stays the same, a check costs the tags list and one {@code HEAD},
 * not the manifest and config {@code GET}s as well. One entry per target: a newer version replaces it.
 */
public class OciImageRegistry implements ImageRegistry, PublishedTags {

    private final RegistryClient client;
    private final String targetRegistry;
    /** {@code repository platform} -> the labels of the newest version seen, with its manifest digest */
    private final Map<String, Labels> labels = new ConcurrentHashMap<>();

    private record Labels(Digest digest, Map<String, String> values) {
    }

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
        Map<String, String> values = labelsOf(published.withDigest(digest.get()), platform);
        return Optional.of(new BuiltFrom(newest.get().tag(), digest.get(), ImageLabels.builtFrom(values),
                values.get(ImageLabels.DEFINITION),
                Definition.parseFilesLabel(values.get(ImageLabels.DEFINITION_FILES)).orElse(List.of()),
                values.get(ImageLabels.REVISION)));
    }

    /** The labels of the image {@code pinned} names for {@code platform}: from the cache while its digest is known. */
    private Map<String, String> labelsOf(ImageReference pinned, Platform platform) {
        String key = pinned.repository() + " " + platform;
        Labels known = labels.get(key);
        if (known != null && known.digest().equals(pinned.digest())) {
            return known.values();
        }
        Map<String, String> values = client.imageConfig(pinned, platform.toString()).labels();
        labels.put(key, new Labels(pinned.digest(), values));
        return values;
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
