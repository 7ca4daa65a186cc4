package dev.freshen.watcher;

import dev.freshen.descriptor.Target;
import dev.freshen.events.Durations;
import dev.freshen.events.image.ImageReference;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest published version of an image, as {@code <registry>/<repository>:<version tag>@sha256:…}: from the last
 * check (which read the registry, and moves with every publish heard since), else from the run ledger (the newest
 * {@code ImagePublished} still on the topic), else, for an image that is not watched, from the registry itself by
 * its target (as far as its descriptor still names one), asked once per target and remembered (after a failed
 * request, not asked again for 5 minutes).
 */
public final class PublishedVersions {

    private static final Logger LOG = Logger.getLogger(PublishedVersions.class);
    private static final Duration RETRY_AFTER = Duration.ofMinutes(5);

    private final RunLedger ledger;
    private final ImageChecker checker;
    private final ImageRegistry registry;
    private final String targetRegistry;
    private final Map<String, Optional<ImageReference>> fromRegistry = new ConcurrentHashMap<>();
    /** When the registry last failed to answer for a target (System.nanoTime): not asked again for a while. */
    private final Map<String, Long> failedAt = new ConcurrentHashMap<>();

    public PublishedVersions(RunLedger ledger, ImageChecker checker, ImageRegistry registry, String targetRegistry) {
        this.ledger = ledger;
        this.checker = checker;
        this.registry = registry;
        this.targetRegistry = targetRegistry;
    }

    /**
     * @param target        the image's target, {@code null} when its descriptor does not say
     * @param askRegistry   whether to ask the registry when nothing else knows (for images that are not checked)
     */
    public Optional<ImageReference> of(String imageId, Target target, boolean askRegistry) {
        if (target != null) {
            Optional<ImageReference> checked = checker.lastOutcome(imageId).map(CheckOutcome::builtFrom)
                    .map(b -> new ImageReference(targetRegistry, target.repository(), b.versionTag(), b.digest()));
            if (checked.isPresent()) {
                return checked;
            }
        }
        Optional<ImageReference> published = ledger.lastPublished(imageId);
        if (published.isPresent() || target == null || !askRegistry) {
            return published;
        }
        String key = target.repository() + "\n" + target.tagPrefix();
        Optional<ImageReference> known = fromRegistry.get(key);
        if (known != null) {
            return known;
        }
        Long failed = failedAt.get(key);
        if (failed != null && System.nanoTime() - failed < RETRY_AFTER.toNanos()) {
            return Optional.empty(); // an API listing must not wait for a registry that just failed
        }
        try {
            Optional<ImageReference> read = registry.builtFrom(target, java.util.List.of(checker.defaultPlatform()))
                    .map(b -> new ImageReference(targetRegistry, target.repository(), b.versionTag(), b.digest()));
            fromRegistry.put(key, read);
            failedAt.remove(key);
            return read;
        } catch (RuntimeException e) {
            failedAt.put(key, System.nanoTime());
            LOG.warnf("The newest version of %s could not be read from the registry (%s); asking again in %s",
                    imageId, e.getMessage(), Durations.human(RETRY_AFTER));
            return Optional.empty();
        }
    }
}
