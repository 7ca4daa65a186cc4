package dev.freshen.watcher;

import dev.freshen.descriptor.ImageGraph;
import dev.freshen.events.Trigger;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Parents first, one rebuild per image: whether a platform image that a check found changed must wait for an image it
 * is built FROM ({@link ImageGraph#ancestors}) instead of starting its run now. Asked only when a check decides to
 * rebuild; forced runs never wait.
 *
 * <p>Each ancestor, nearest first, holds the image when
 * <ul>
 *     <li>it has a run in flight ({@link Hold#IN_FLIGHT}): its publish starts this image's run;</li>
 *     <li>its newest run failed, and no check of it since found it up to date ({@link Hold#FAILED}): a broken parent
 *     keeps its children on the version they have until it publishes again (or a forced run of the child);</li>
 *     <li>a check of it now (made through {@code checkNow}, which holds that image's lock: the lock order is always
 *     child, then ancestor, and the graph served is acyclic) starts a run, finds a change settling, or is itself
 *     held ({@link Hold#IN_FLIGHT}, {@link Hold#SETTLING}, or the hold it reports).</li>
 * </ul>
 * A check of an ancestor that fails (registry unreachable) holds nothing: the image's own check says what it found.
 * This is what makes a child that also uses an upstream base directly build once, after its parent: its check sees
 * the upstream move, finds the parent rebuilding for the same move, and waits for the parent's publish.
 */
public final class ChainGuard {

    /**
     * What a held image waits on: the ancestor's id, its run ({@code null} when none: settling, never published) and
     * why, one of {@link #IN_FLIGHT}, {@link #FAILED}, {@link #SETTLING}, {@link #NEVER_PUBLISHED}.
     */
    public record Hold(String imageId, String runId, String state) {

        /** The ancestor has a run in flight. */
        public static final String IN_FLIGHT = "in-flight";
        /** The ancestor's newest run failed and it has not been found up to date since. */
        public static final String FAILED = "failed";
        /** A change of the ancestor's bases is settling: its run starts later. */
        public static final String SETTLING = "settling";
        /** The ancestor's tag that this image is built FROM does not exist yet. */
        public static final String NEVER_PUBLISHED = "never-published";

        /** For people: {@code waits on base/aspnet's failed run b-…}. */
        public String text() {
            return switch (state) {
                case IN_FLIGHT -> "waits on " + imageId + "'s run " + runId + " in flight";
                case FAILED -> "waits on " + imageId + "'s failed run " + runId;
                case SETTLING -> "waits on " + imageId + "'s change to settle";
                case NEVER_PUBLISHED -> "waits on " + imageId + "'s first publish";
                default -> "waits on " + imageId + " (" + state + ")";
            };
        }
    }

    private final RunLedger ledger;
    private final Function<String, Optional<CheckOutcome>> lastOutcome;

    /** @param lastOutcome the last check outcome of an image, if it was checked since the watcher started */
    public ChainGuard(RunLedger ledger, Function<String, Optional<CheckOutcome>> lastOutcome) {
        this.ledger = ledger;
        this.lastOutcome = lastOutcome;
    }

    /**
     * The ancestor image {@code id} must wait on, if any, checking ancestors now where the ledger does not tell.
     *
     * @param checkNow checks an image now and returns its outcome (may throw: then that ancestor holds nothing)
     */
    public Optional<Hold> holdFor(String id, ImageGraph graph, Function<String, CheckOutcome> checkNow) {
        for (String ancestor : graph.ancestors(id)) {
            Optional<Hold> known = known(ancestor);
            if (known.isPresent()) {
                return known;
            }
            CheckOutcome outcome;
            try {
                outcome = checkNow.apply(ancestor);
            } catch (RuntimeException e) {
                continue;
            }
            Optional<Hold> hold = switch (outcome.result()) {
                case RUN_STARTED -> Optional.of(new Hold(ancestor, outcome.runId(), Hold.IN_FLIGHT));
                case SETTLING -> Optional.of(new Hold(ancestor, null, Hold.SETTLING));
                case HELD -> Optional.ofNullable(outcome.waitsOn());
                default -> known(ancestor); // a run it found (RUN_EXISTS) may be in flight or failed
            };
            if (hold.isPresent()) {
                return hold;
            }
        }
        return Optional.empty();
    }

    /**
     * What the ledger and the last outcomes say without a registry call: the status view's answer
     * ({@link ChainStatus}), the same predicate as {@link #holdFor} minus the checks.
     */
    public Optional<Hold> knownHold(String id, ImageGraph graph) {
        for (String ancestor : graph.ancestors(id)) {
            Optional<Hold> known = known(ancestor);
            if (known.isEmpty()) {
                known = lastOutcome.apply(ancestor).filter(o -> o.result() == CheckOutcome.Result.SETTLING)
                        .map(o -> new Hold(ancestor, null, Hold.SETTLING));
            }
            if (known.isPresent()) {
                return known;
            }
        }
        return Optional.empty();
    }

    /** In flight, or failed with no up-to-date check since. */
    private Optional<Hold> known(String ancestor) {
        Optional<RunLedger.Run> inFlight = ledger.inFlight(ancestor);
        if (inFlight.isPresent()) {
            return Optional.of(new Hold(ancestor, inFlight.get().runId(), Hold.IN_FLIGHT));
        }
        Optional<RunLedger.Run> newest = ledger.newest(ancestor);
        if (newest.isPresent() && newest.get().state() == RunLedger.State.FAILED
                && (newest.get().trigger() == null || newest.get().trigger().kind() != Trigger.Kind.ROLLBACK)) {
            Instant failedAt = newest.get().endedAt();
            boolean fineSince = lastOutcome.apply(ancestor)
                    .filter(o -> o.result() == CheckOutcome.Result.UP_TO_DATE && !o.checkedAt().isBefore(failedAt))
                    .isPresent();
            if (!fineSince) {
                return Optional.of(new Hold(ancestor, newest.get().runId(), Hold.FAILED));
            }
        }
        return Optional.empty();
    }
}
