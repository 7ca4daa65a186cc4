package dev.freshen.watcher.registry;

import dev.freshen.descriptor.TagOwners;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.VersionTag;
import dev.freshen.registry.RegistryClient;
import dev.freshen.watcher.RunLedger;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Who owns a tag of the target registry today: the image id in the {@code dev.freshen.image-id} label of the image
 * the tag names (the builder labels every image with it). When the registry cannot be asked, the run ledger's newest
 * publish of that tag answers instead, so that a registry outage does not hand a tag to another image. Asked only
 * when two descriptors claim the same tag or prefix, at each scan.
 */
public final class RegistryTagOwners implements TagOwners {

    private static final Logger LOG = Logger.getLogger(RegistryTagOwners.class);

    private final RegistryClient client;
    private final String targetRegistry;
    private final RunLedger ledger;

    public RegistryTagOwners(RegistryClient client, String targetRegistry, RunLedger ledger) {
        this.client = client;
        this.targetRegistry = targetRegistry;
        this.ledger = ledger;
    }

    @Override
    public Optional<String> ofTag(String repository, String tag) {
        try {
            return label(new ImageReference(targetRegistry, repository, tag, null));
        } catch (RuntimeException e) {
            LOG.warnf("Cannot read who owns %s:%s in %s (%s); going by the runs published", repository, tag,
                    targetRegistry, e.getMessage());
            return ledger.lastPublisherOf(repository, tag);
        }
    }

    @Override
    public Optional<String> ofPrefix(String repository, String tagPrefix) {
        try {
            Optional<VersionTag> newest = VersionTag.highest(tagPrefix, client.tags(targetRegistry, repository));
            return newest.isEmpty() ? Optional.empty()
                    : label(new ImageReference(targetRegistry, repository, newest.get().tag(), null));
        } catch (RuntimeException e) {
            LOG.warnf("Cannot read who owns the versions %s-* of %s in %s (%s)", tagPrefix, repository, targetRegistry,
                    e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<String> label(ImageReference tag) {
        return client.manifestDigest(tag)
                .map(digest -> client.imageConfig(tag.withDigest(digest)).labels().get(ImageLabels.IMAGE_ID))
                .filter(id -> !id.isBlank());
    }
}
