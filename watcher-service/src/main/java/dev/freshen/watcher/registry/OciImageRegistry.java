package dev.freshen.watcher.registry;

import dev.freshen.descriptor.Target;
import dev.freshen.descriptor.definition.Definition;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads upstream digests and published images through the OCI distribution API: works for MCR, Docker Hub, GHCR,
 * Quay, ECR and any OCI registry. What a published image was built from comes from the labels of its newest version
 * tag (highest version of the target's prefix, never whatever {@code latest} points to), read per platform the image
 * is built for from that platform's image only (a multi-platform version is an image index: each child's labels name
 * the bases of that platform). A base tag is resolved to the image manifest of each platform
 * ({@link RegistryClient#platformManifest}).
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

    /** @param values null: the version has no image for the platform */
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
    public Optional<BuiltFrom> builtFrom(Target target, List<Platform> platforms) {
        if (platforms.isEmpty()) {
            throw new IllegalArgumentException("no platform to read " + target.repository() + " for");
        }
        Optional<VersionTag> newest = VersionTag.highest(target.tagPrefix(), client.tags(targetRegistry, target.repository()));
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        ImageReference published = new ImageReference(targetRegistry, target.repository(), newest.get().tag(), null);
        Optional<Digest> digest = client.manifestDigest(published);
        if (digest.isEmpty()) {
            return Optional.empty(); // deleted between listing and reading
        }
        ImageReference pinned = published.withDigest(digest.get());
        Map<String, String> first = null;
        Map<ImageReference, Digest> firstBases = Map.of();
        List<BuiltFrom.PlatformBuild> builds = new ArrayList<>();
        for (Platform platform : platforms) {
            Optional<Map<String, String>> values = labelsOf(pinned, platform);
            if (values.isEmpty()) {
                builds.add(BuiltFrom.PlatformBuild.notPublished(platform));
                continue;
            }
            Map<ImageReference, Digest> bases = ImageLabels.builtFrom(values.get());
            builds.add(new BuiltFrom.PlatformBuild(platform.toString(), true, bases));
            if (first == null) {
                first = values.get();
            }
            if (platform.equals(platforms.get(0))) {
                firstBases = bases;
            }
        }
        Map<String, String> labels = first == null ? Map.of() : first;
        boolean onePlatformPublished = platforms.size() == 1 && builds.get(0).published();
        return Optional.of(new BuiltFrom(newest.get().tag(), digest.get(), firstBases, labels.get(ImageLabels.DEFINITION),
                Definition.parseFilesLabel(labels.get(ImageLabels.DEFINITION_FILES)).orElse(List.of()),
                labels.get(ImageLabels.REVISION), onePlatformPublished ? List.of() : builds));
    }

    /**
     * The labels of {@code platform}'s image of the version {@code pinned} names, strictly
     * ({@link RegistryClient#imageConfigFor}: the index's entry for it, or the manifest when its config names that
     * platform or none); empty when the version has no image for {@code platform}. From the cache while its digest is
     * known.
     */
    private Optional<Map<String, String>> labelsOf(ImageReference pinned, Platform platform) {
        String key = pinned.repository() + " " + platform;
        Labels known = labels.get(key);
        if (known != null && known.digest().equals(pinned.digest())) {
            return Optional.ofNullable(known.values());
        }
        Optional<Map<String, String>> values = client.imageConfigFor(pinned, platform).map(ImageConfig::labels);
        labels.put(key, new Labels(pinned.digest(), values.orElse(null)));
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
