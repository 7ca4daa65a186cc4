package dev.freshen.events;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The shape every id of an open value set ({@link FailureKind}, {@link Stage}, {@link Trigger.Kind}) has on the wire:
 * lowercase letters and digits in words joined by single {@code -}, starting with a letter, at most
 * {@value #MAX_LENGTH} characters ({@code transient-exhausted}). A value a newer writer adds has the same shape, so a
 * reader accepts any id of this shape and rejects only text that is no id at all; the shape keeps such text out of
 * logs and notification cards unchanged.
 */
final class WireIds {

    static final int MAX_LENGTH = 64;
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(?:-[a-z0-9]+)*");

    private WireIds() {
    }

    /** {@code id} when it has the shape of an id, else an {@link IllegalArgumentException} naming {@code what}. */
    static String check(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (id.length() > MAX_LENGTH || !ID.matcher(id).matches()) {
            String shown = id.length() > MAX_LENGTH ? id.substring(0, MAX_LENGTH) + "…" : id;
            throw new IllegalArgumentException(what + " '" + shown + "' is not an id: lowercase letters and digits"
                    + " joined by single '-', starting with a letter, at most " + MAX_LENGTH + " characters");
        }
        return id;
    }

    /** The well-known values by id; {@code get(null)} is null (not an exception), so {@code of(null)} reaches {@link #check}. */
    static <T> Map<String, T> index(List<T> known, Function<T, String> id) {
        return Collections.unmodifiableMap(known.stream().collect(Collectors.toMap(id, Function.identity())));
    }
}
