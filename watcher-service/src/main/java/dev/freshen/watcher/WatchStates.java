package dev.freshen.watcher;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.DescriptorProblem;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.RunIds;
import dev.freshen.events.WatchState;
import dev.freshen.events.image.ImageReference;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The last {@link ImageWatchChanged} written for each image, and what to write next: the watcher announces that an
 * image is not watched any more when its descriptor became invalid, and that it is watched again once it is valid,
 * once per change. "Became" is judged against the last state written, not against the previous scan, so neither a
 * rescan nor a restart announces a change twice: the last states are read back from the topic at start-up
 * ({@code messaging.RunLedgerFeed}) before anything is decided. An image with no event yet counts as watched.
 *
 * <p>Thread-safe. Events may be applied more than once and out of order (a follower that reconnects reads the topic
 * again from the beginning): the newest by time wins.
 */
public final class WatchStates {

    private final Map<String, ImageWatchChanged> last = new ConcurrentHashMap<>();
    private final Set<String> seenValid = ConcurrentHashMap.newKeySet();

    /** Applies an event read from the topic, or written by this watcher. */
    public void apply(ImageWatchChanged event) {
        last.merge(event.imageId(), event, (known, read) -> read.occurredAt().isBefore(known.occurredAt()) ? known : read);
    }

    /** The last change written for {@code imageId}. */
    public Optional<ImageWatchChanged> last(String imageId) {
        return Optional.ofNullable(last.get(imageId));
    }

    /**
     * The changes to write for {@code scan}: {@code invalid} for every image whose descriptor is invalid and whose last
     * written state is another (none counts as watched), {@code watched} for every valid image whose last written
     * state is {@code invalid}. A state a newer watcher wrote that this one does not know is left alone for a valid
     * image (it is not this version's to end).
     *
     * @param lastPublished the newest published version of an image, when known
     * @param watchedBefore whether an image was watched before this watcher saw it (it has runs, or was published)
     */
    public synchronized List<ImageWatchChanged> changes(PlatformImageCatalog.Scan scan, Instant now,
                                                        Function<String, Optional<ImageReference>> lastPublished,
                                                        Predicate<String> watchedBefore) {
        List<ImageWatchChanged> changes = new ArrayList<>();
        for (DescriptorException error : scan.errors()) {
            String id = error.imageId();
            if (id == null) {
                continue;
            }
            ImageWatchChanged previous = last.get(id);
            if (previous != null && previous.state().equals(WatchState.INVALID)) {
                continue;
            }
            WatchState before = previous != null ? previous.state()
                    : seenValid.contains(id) || watchedBefore.test(id) ? WatchState.WATCHED : null;
            List<ImageWatchChanged.Problem> problems = error.problems().stream().map(WatchStates::problem).toList();
            changes.add(new ImageWatchChanged(RunIds.forWatchChange(id, WatchState.INVALID, problems,
                    previous == null ? null : previous.runId()), id, 1, now, WatchState.INVALID, before, problems,
                    lastPublished.apply(id).orElse(null)));
        }
        for (String id : scan.images().keySet()) {
            seenValid.add(id);
            ImageWatchChanged previous = last.get(id);
            if (previous != null && previous.state().equals(WatchState.INVALID)) {
                changes.add(new ImageWatchChanged(RunIds.forWatchChange(id, WatchState.WATCHED, List.of(),
                        previous.runId()), id, 1, now, WatchState.WATCHED, WatchState.INVALID, List.of(),
                        lastPublished.apply(id).orElse(null)));
            }
        }
        return changes;
    }

    /** A descriptor problem as the event carries it. */
    public static ImageWatchChanged.Problem problem(DescriptorProblem p) {
        return new ImageWatchChanged.Problem(p.code(), p.message(), p.hint(), p.file(), p.field(),
                p.line() == 0 ? null : p.line(), p.column() == 0 ? null : p.column());
    }
}
