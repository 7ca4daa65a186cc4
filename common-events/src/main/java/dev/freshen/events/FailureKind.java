package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.List;
import java.util.Map;

/**
 * Whether a failed run may succeed when retried unchanged; on the wire its id ({@code "permanent"}).
 *
 * <p>An open set of values, not a Java enum: a newer writer may add a kind (for example {@code internal} or
 * {@code timed-out}), and a reader that does not know it reads it as an <em>other</em> kind ({@link #isOther()})
 * that keeps its id, so the event is neither rejected nor changed when a service writes the kind out again.
 * Code that branches on a kind must have a branch for other kinds. See {@code docs/events.md}.
 *
 * <p>{@link #of(String)} returns the constant for a well-known id and the constructor is private, so a well-known
 * kind is always the same instance: {@code kind == FailureKind.PERMANENT} is as correct as {@code equals} (which is
 * why this is a final class and not a record, whose constructor would have to be public). Two kinds are equal when
 * their ids are.
 */
public final class FailureKind extends OpenValue {

    /** The input is wrong (bad Dockerfile, failed test, invalid descriptor): retrying as is will fail again. */
    public static final FailureKind PERMANENT = new FailureKind("permanent", true);
    /** Something outside was unavailable (registry 5xx, daemon down) and the retries ran out. */
    public static final FailureKind TRANSIENT_EXHAUSTED = new FailureKind("transient-exhausted", true);
    /**
     * The stage failed in a way its code did not expect (a defect, or an input it cannot handle yet): the run ends so
     * that somebody is told, and the input record is also dead-lettered, so it can be replayed once fixed.
     */
    public static final FailureKind INTERNAL = new FailureKind("internal", true);
    /**
     * No stage answered within the watcher's budget for the stage the run was waiting for
     * ({@code freshen.watcher.run-timeout.*}); a stage that answers later supersedes this outcome.
     */
    public static final FailureKind TIMED_OUT = new FailureKind("timed-out", true);

    private static final List<FailureKind> KNOWN = List.of(PERMANENT, TRANSIENT_EXHAUSTED, INTERNAL, TIMED_OUT);
    private static final Map<String, FailureKind> BY_ID = WireIds.index(KNOWN, FailureKind::id);

    private FailureKind(String id, boolean known) {
        super(id, known);
    }

    /**
     * The kind with wire id {@code id}: the constant for a well-known id, else an other kind carrying {@code id}.
     *
     * @throws IllegalArgumentException when {@code id} is empty or not shaped like an id (lowercase words joined by
     *                                  {@code -}, at most 64 characters)
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static FailureKind of(String id) {
        FailureKind kind = BY_ID.get(id);
        return kind != null ? kind : new FailureKind(WireIds.check(id, "failure kind"), false);
    }

    /** The kinds this version knows, in declaration order. */
    public static List<FailureKind> knownValues() {
        return KNOWN;
    }
}
