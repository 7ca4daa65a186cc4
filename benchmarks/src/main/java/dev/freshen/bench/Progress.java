package dev.freshen.bench;

import java.util.Locale;

/** Progress lines on stderr with the time since the start, so a long run shows where it is (stdout gets the table). */
final class Progress {

    private static final long START = System.nanoTime();

    private Progress() {
    }

    static void say(String format, Object... args) {
        long seconds = (System.nanoTime() - START) / 1_000_000_000;
        System.err.printf(Locale.ROOT, "[bench %3d:%02d] %s%n", seconds / 60, seconds % 60, String.format(Locale.ROOT, format, args));
    }
}
