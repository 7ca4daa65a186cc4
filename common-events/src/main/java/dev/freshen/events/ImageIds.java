package dev.freshen.events;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Platform image ids are folder paths relative to the platform-images root, e.g. {@code net10/runtime}.
 * They are used as Kafka record keys, in URLs and as paths, so they are kept strictly relative and simple.
 */
public final class ImageIds {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final int MAX_LENGTH = 200;

    private ImageIds() {
    }

    /** Throws with a message saying what is wrong when {@code id} is not a valid image id. */
    public static String validate(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("image id is empty");
        }
        if (id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("image id is longer than " + MAX_LENGTH + " characters");
        }
        if (id.startsWith("/") || id.endsWith("/")) {
            throw new IllegalArgumentException("image id '" + id + "' must be a relative path like net10/runtime");
        }
        for (String segment : id.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("image id '" + id + "' may not contain '.' or '..' segments");
            }
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("image id '" + id + "' has an invalid segment '" + segment
                        + "' (letters, digits, '.', '_' or '-', starting with a letter or digit)");
            }
        }
        return id;
    }

    /**
     * "Did you mean …?" for a mistyped id: the ids among {@code known} within a small edit distance of {@code id} (at
     * most 2, or a fifth of its length for long ids), or sharing its last segment, closest first, at most three. The
     * API and the CLI suggest with this, so that both say the same.
     */
    public static List<String> near(String id, Collection<String> known) {
        int limit = Math.max(2, id.length() / 5);
        String last = id.substring(id.lastIndexOf('/') + 1);
        return known.stream()
                .filter(k -> !k.equals(id))
                .filter(k -> distance(id, k) <= limit || k.substring(k.lastIndexOf('/') + 1).equals(last))
                .sorted(Comparator.comparingInt((String k) -> distance(id, k)).thenComparing(k -> k))
                .distinct().limit(3).toList();
    }

    /** The Levenshtein distance between {@code a} and {@code b}. */
    public static int distance(String a, String b) {
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
