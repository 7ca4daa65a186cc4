package dev.freshen.events;

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
}
