package dev.freshen.watcher;

import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageRolledBack;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which images are rolled back now: the newest {@code ImageRolledBack} of each image, as long as it left the moving
 * tags on a version below the newest and no publish came after it (a publish moves the tags forward again). Fed from
 * {@code freshen.image-rolled-back} and {@code freshen.image-published}, read from the beginning at every start, so
 * a restarted watcher knows it again; events may arrive in any order across the two topics, so times decide.
 */
public final class Rollbacks {

    private final Map<String, ImageRolledBack> newest = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastPublished = new ConcurrentHashMap<>();

    public void apply(ImageRolledBack event) {
        newest.merge(event.imageId(), event, (a, b) -> b.occurredAt().isBefore(a.occurredAt()) ? a : b);
    }

    public void published(ImagePublished event) {
        lastPublished.merge(event.imageId(), event.occurredAt(), (a, b) -> b.isAfter(a) ? b : a);
    }

    /** The rollback that holds {@code imageId}'s moving tags on an older version now; empty when none does. */
    public Optional<ImageRolledBack> current(String imageId) {
        ImageRolledBack event = newest.get(imageId);
        if (event == null || !event.rolledBack()) {
            return Optional.empty();
        }
        Instant published = lastPublished.get(imageId);
        return published != null && published.isAfter(event.occurredAt()) ? Optional.empty() : Optional.of(event);
    }

    /** {@code rolled back to 10.0-1.0.0 by api:ops: 1.1.0 breaks TLS}, the line status shows. */
    public static String describe(ImageRolledBack event) {
        return "rolled back to " + event.to().tag() + " by " + event.requestedBy()
                + (event.reason() == null ? "" : ": " + event.reason());
    }
}
