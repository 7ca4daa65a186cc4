package dev.freshen.watcher;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * The freshness SLI of a platform image, {@code freshen_image_staleness_seconds{image}}: how long the image has been
 * waiting for a published rebuild on a newer upstream base, derived from the {@link RunLedger} alone (so from the
 * event topics, which a restarted watcher reads again from the beginning: a restart does not reset it).
 *
 * <p>The rule: "first saw" an upstream digest is the time of the {@code BaseImageUpdated} that started its run (the
 * watcher emits it when a check sees the new digest; with a descriptor {@code settle} window, when the window ends,
 * so staleness then starts up to that window late). Such an update is <b>resolved</b> by a published run of the image
 * that started at or after it (the update's own run, or any later run, forced ones included, which builds from the
 * then-current upstream; a run that failed and was published after all, by a replayed dead letter, counts as
 * published). The staleness is the time since the oldest unresolved update, and 0 when there is none:
 * a failed or still running rebuild keeps the image stale. What the topics no longer hold (retention) is not known.
 */
public final class ImageStaleness {

    private final RunLedger ledger;

    public ImageStaleness(RunLedger ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /** Since when {@code imageId} is stale: the time of its oldest unresolved upstream update; empty when fresh. */
    public Optional<Instant> staleSince(String imageId) {
        var runs = ledger.recent(imageId, Integer.MAX_VALUE);
        Instant newestPublishedStart = runs.stream()
                .filter(r -> r.stages().stream().anyMatch(e -> e.event() == StageEntry.Event.IMAGE_PUBLISHED))
                .map(r -> r.startedAt() != null ? r.startedAt() : r.firstSeen())
                .max(Comparator.naturalOrder())
                .orElse(Instant.MIN);
        return runs.stream()
                .filter(r -> r.stages().get(0).event() == StageEntry.Event.BASE_IMAGE_UPDATED)
                .map(RunLedger.Run::startedAt)
                .filter(seen -> seen.isAfter(newestPublishedStart))
                .min(Comparator.naturalOrder());
    }

    /**
     * Seconds since {@link #staleSince} at {@code now} (0 when fresh, never negative); NaN while the ledger has not
     * read the topics yet (no answer rather than a wrong 0).
     */
    public double seconds(String imageId, Instant now) {
        if (!ledger.complete()) {
            return Double.NaN;
        }
        return staleSince(imageId)
                .map(since -> Math.max(0, Duration.between(since, now).toMillis()) / 1000.0)
                .orElse(0.0);
    }
}
