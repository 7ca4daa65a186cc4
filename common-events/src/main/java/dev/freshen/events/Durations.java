package dev.freshen.events;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people read and write them: {@link #parse} reads what descriptors say ({@code 500ms}, {@code 60s},
 * {@code 5m}, {@code 1h}, or ISO-8601), {@link #human} writes what users see ({@code 850ms}, {@code 45s},
 * {@code 2m 05s}, {@code 1h 02m}). Every user-facing text (failure reasons, cards, API and CLI messages) formats
 * durations with {@link #human}, never with {@link Duration#toString()} ({@code PT2M5S}).
 */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private Durations() {
    }

    /**
     * The duration {@code text} says.
     *
     * @throws IllegalArgumentException when it is none of the forms above, naming the text and the forms
     */
    public static Duration parse(String text) {
        String value = text.strip();
        Matcher m = SIMPLE.matcher(value);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 500ms, 60s, 5m, 1h)");
        }
    }

    /** {@code 850ms}, {@code 45s}, {@code 2m 05s}, {@code 1h 02m}, {@code 26h 00m}: rounded to what a person needs. */
    public static String human(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = Math.round(millis / 1000.0);
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh %02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
