package dev.freshen.retry;

import java.time.Duration;
import java.util.Locale;

/** Durations in words for people (logs, failure reasons): "250 ms", "2.5 s", "45 s", "2 min 5 s", "1 h 30 min". */
public final class Durations {

    private Durations() {
    }

    /**
     * Below a second in milliseconds, below ten seconds with one decimal, below a minute in whole seconds, then minutes
     * and seconds, then hours and minutes (rounded down). Never ISO-8601 ({@code PT2.5S}).
     */
    public static String human(Duration duration) {
        if (duration.isNegative()) {
            return "-" + human(duration.negated());
        }
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 9950) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = Math.round(millis / 1000.0);
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            long rest = seconds % 60;
            return seconds / 60 + " min" + (rest == 0 ? "" : " " + rest + " s");
        }
        long minutes = seconds / 60 % 60;
        return seconds / 3600 + " h" + (minutes == 0 ? "" : " " + minutes + " min");
    }
}
