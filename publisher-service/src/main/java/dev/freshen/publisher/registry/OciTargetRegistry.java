package dev.freshen.publisher.registry;

import dev.freshen.descriptor.Target;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.publisher.TagConflictException;
import dev.freshen.publisher.StagingRepository;
import dev.freshen.publisher.TargetRegistry;
import dev.freshen.publisher.TargetRepository;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistryException;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A target registry spoken to with the OCI distribution API (basic or bearer authentication from
 * {@code freshen.registries}, plain HTTP only for insecure-listed hosts): tags listed page by page, the verified image
 * brought in by {@link ImageCopier}, tags put as manifest copies, old versions deleted by digest. Repositories come
 * into being on first push.
 */
public final class OciTargetRegistry implements TargetRegistry {

    private static final Logger LOG = Logger.getLogger(OciTargetRegistry.class);

    private final RegistryClient client;
    private final String host;

    public OciTargetRegistry(RegistryClient client, String host) {
        this.client = client;
        this.host = host;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public TargetRepository open(Target target) {
        return new Repository(target.repository());
    }

    @Override
    public StagingRepository staging(ImageReference candidate) {
        return new OciStagingRepository(client, candidate.registry(), candidate.repository());
    }

    private final class Repository implements TargetRepository {

        private final String name;

        Repository(String name) {
            this.name = name;
        }

        @Override
        public String describe() {
            return host + "/" + name;
        }

        @Override
        public List<String> tags() {
            try {
                return client.tags(host, name);
            } catch (RegistryException e) {
                throw RegistryFailures.of("cannot list the tags of " + describe(), e);
            }
        }

        @Override
        public Optional<Digest> digestOf(String tag) {
            try {
                return client.manifestDigest(new ImageReference(host, name, tag, null));
            } catch (RegistryException e) {
                throw RegistryFailures.of("cannot read " + describe() + ":" + tag, e);
            }
        }

        @Override
        public Optional<Manifest> manifest(Digest digest) {
            try {
                return client.manifest(new ImageReference(host, name, null, digest));
            } catch (RegistryException e) {
                throw RegistryFailures.of("cannot read " + describe() + "@" + digest, e);
            }
        }

        @Override
        public Manifest importImage(ImageReference verified) {
            return new ImageCopier(client).copy(verified, host, name);
        }

        @Override
        public void putTag(Manifest manifest, String tag) {
            try {
                client.putManifest(host, name, tag, manifest);
            } catch (RegistryException e) {
                if (e.status() == 409 || e.status() == 412) {
                    // Harbor and others answer so when a tag immutability rule protects the tag
                    throw new TagConflictException(tag, describe() + ":" + tag + " is immutable and names another image ("
                            + e.getMessage() + ")", e);
                }
                throw RegistryFailures.of("cannot tag " + manifest.digest().shortHex() + " as " + describe() + ":" + tag, e);
            }
        }

        /**
         * One {@code DELETE} of the manifest per digest; a digest already gone counts as deleted. An image index goes
         * first, then the images it lists (its platform images, which the publish put by digest, untagged), each
         * only when no tag left in the repository names it and no index left lists it (read from the manifests the
         * remaining tags name).
         */
        @Override
        public List<String> deleteVersions(Map<String, Digest> versions) {
            Map<Digest, List<String>> byDigest = new LinkedHashMap<>();
            versions.forEach((tag, digest) -> byDigest.computeIfAbsent(digest, d -> new ArrayList<>()).add(tag));
            List<String> gone = new ArrayList<>();
            Set<Digest> children = new LinkedHashSet<>();
            for (Map.Entry<Digest, List<String>> image : byDigest.entrySet()) {
                try {
                    List<Digest> listed = childrenOf(image.getKey());
                    client.deleteManifest(host, name, image.getKey());
                    gone.addAll(image.getValue());
                    children.addAll(listed);
                } catch (RegistryException e) {
                    LOG.warnf("Cannot delete %s@%s (%s): %s%s", describe(), image.getKey().shortHex(),
                            String.join(", ", image.getValue()), e.getMessage(), e.status() == 405
                                    ? "; the registry does not allow deletes (CNCF registry: storage.delete.enabled: true)"
                                    : "");
                }
            }
            if (!children.isEmpty()) {
                deleteChildren(children);
            }
            return gone;
        }

        /** Deletes the platform images of deleted indexes that nothing left in the repository names or lists. */
        private void deleteChildren(Set<Digest> children) {
            Set<Digest> kept = new HashSet<>();
            try {
                for (String tag : client.tags(host, name)) {
                    client.manifestDigest(new ImageReference(host, name, tag, null)).ifPresent(kept::add);
                }
                for (Digest remaining : Set.copyOf(kept)) {
                    kept.addAll(childrenOf(remaining));
                }
            } catch (RegistryException e) {
                LOG.warnf("Not deleting the platform images of the old versions of %s: cannot read what the repository "
                        + "still holds: %s", describe(), e.getMessage());
                return;
            }
            for (Digest child : children) {
                if (kept.contains(child)) {
                    LOG.debugf("Keeping %s@%s: a version left in the repository names or lists it", describe(),
                            child.shortHex());
                    continue;
                }
                try {
                    client.deleteManifest(host, name, child);
                } catch (RegistryException e) {
                    LOG.warnf("Cannot delete the platform image %s@%s of an old version: %s", describe(),
                            child.shortHex(), e.getMessage());
                }
            }
        }

        /** The manifests {@code digest} lists when it is an image index in this repository; else none. */
        private List<Digest> childrenOf(Digest digest) {
            return client.manifest(new ImageReference(host, name, null, digest)).filter(Manifest::isIndex)
                    .map(index -> ImageIndexes.read(index).stream().map(ImageIndexes.Entry::digest).toList())
                    .orElse(List.of());
        }
    }
}
