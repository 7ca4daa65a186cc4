package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.List;
import java.util.Map;

/**
 * How the watcher stands with a platform image, in {@link ImageWatchChanged}; on the wire its id ({@code "invalid"}).
 *
 * <p>An open set of values like {@link FailureKind}: a newer watcher may add states (the next planned are
 * {@code checks-failing}, when the image's checks keep failing, and {@code recovered}), and a reader that does not
 * know one reads it as an <em>other</em> state ({@link #isOther()}) that keeps its id. Code that branches on a state
 * must have a branch for other states. {@link #of(String)} returns the constant for a well-known id, so
 * {@code state == WatchState.INVALID} is as correct as {@code equals}; two states are equal when their ids are.
 */
public final class WatchState extends OpenValue {

    /** The image is watched: its descriptor is valid, it is checked on its schedule and built when a base moves. */
    public static final WatchState WATCHED = new WatchState("watched", true);
    /** Its descriptor is invalid: the image is neither checked nor built until the descriptor is fixed. */
    public static final WatchState INVALID = new WatchState("invalid", true);

    private static final List<WatchState> KNOWN = List.of(WATCHED, INVALID);
    private static final Map<String, WatchState> BY_ID = WireIds.index(KNOWN, WatchState::id);

    private WatchState(String id, boolean known) {
        super(id, known);
    }

    /**
     * The state with wire id {@code id}: the constant for a well-known id, else an other state carrying {@code id}.
     *
     * @throws IllegalArgumentException when {@code id} is empty or not shaped like an id
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static WatchState of(String id) {
        WatchState state = BY_ID.get(id);
        return state != null ? state : new WatchState(WireIds.check(id, "watch state"), false);
    }

    /** The states this version knows, in declaration order. */
    public static List<WatchState> knownValues() {
        return KNOWN;
    }
}
