package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A value of an open set ({@link Stage}, {@link FailureKind}, {@link WatchState}, {@link Trigger.Kind}): on the wire
 * its id, and a reader keeps an id it does not know (written by a newer version) as an <em>other</em> value
 * ({@link #isOther()}). Each subclass holds its well-known constants and an {@code of(String)} that returns them;
 * two values are equal when they are of the same set and their ids are.
 */
public abstract class OpenValue {

    private final String id;
    private final boolean known;

    protected OpenValue(String id, boolean known) {
        this.id = id;
        this.known = known;
    }

    /** The wire id, e.g. {@code "transient-exhausted"}. */
    @JsonValue
    public final String id() {
        return id;
    }

    /** True for a value this version does not know (written by a newer one). */
    public final boolean isOther() {
        return !known;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && id.equals(((OpenValue) o).id);
    }

    @Override
    public final int hashCode() {
        return id.hashCode();
    }

    @Override
    public final String toString() {
        return id;
    }
}
