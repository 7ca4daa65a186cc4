package dev.freshen.cli;

import java.util.Comparator;
import java.util.List;

/** "Did you mean …?" for a mistyped image id: the watched ids closest to it by edit distance. */
final class ImageIdHints {

    private static final int MAX_HINTS = 3;

    private ImageIdHints() {
    }

    /**
     * The ids among {@code known} within a small edit distance of {@code id} (at most 2, or a fifth of its length for
     * long ids), or sharing its last segment, closest first, at most three.
     */
    static List<String> near(String id, List<String> known) {
        int limit = Math.max(2, id.length() / 5);
        String last = id.substring(id.lastIndexOf('/') + 1);
        return known.stream()
                .filter(k -> !k.equals(id))
                .filter(k -> distance(id, k) <= limit || k.substring(k.lastIndexOf('/') + 1).equals(last))
                .sorted(Comparator.comparingInt((String k) -> distance(id, k)).thenComparing(k -> k))
                .limit(MAX_HINTS).toList();
    }

    /** The message for an unknown id: the watcher's words, then the hints or where to look. */
    static String unknown(String watcherMessage, String id, List<String> known) {
        List<String> near = near(id, known);
        String hint = near.isEmpty() ? "'freshen status' lists the watched images"
                : "did you mean " + String.join(" or ", near) + "?";
        return watcherMessage + "; " + hint;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
