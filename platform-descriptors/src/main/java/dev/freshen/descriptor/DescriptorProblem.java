package dev.freshen.descriptor;

import java.util.Objects;

/**
 * One thing wrong with a platform image's descriptor, in the three parts every user-facing error of Freshen has: a
 * stable {@code code} (an id such as {@code descriptor-unknown-key}, one per kind of mistake, so that the API, the CLI
 * and the cards can tell kinds apart without reading the text), what is wrong ({@code message}, naming the field;
 * {@code file}, {@code line} and {@code column} say where) and what to do about it ({@code hint}, one or two
 * sentences). Neither text holds a Java class name, a stack trace or an ISO-8601 duration.
 *
 * @param code    the kind of mistake, one of the constants below (an open set: more may be added)
 * @param file    the descriptor, relative to the platform-images root ({@code net10/runtime/platform-image.yaml})
 * @param field   the field path in the file ({@code target.extraTags[1]}); {@code null} when the problem is the
 *                whole file or folder
 * @param line    1-based line in {@code file}; 0 when not known (a default value, a missing file)
 * @param column  1-based column; 0 when not known
 * @param message what is wrong, one line, naming the field
 * @param hint    what to do about it; {@code null} only when there is nothing more to say than the message
 */
public record DescriptorProblem(String code, String file, String field, int line, int column, String message,
                                String hint) {

    /** The file is not valid YAML (bad indentation, a tab, an unclosed quote, a missing space after ':'). */
    public static final String YAML_SYNTAX = "descriptor-yaml-syntax";
    /** The file is empty, or holds only comments. */
    public static final String EMPTY = "descriptor-empty";
    /** The file holds a list or a text at the top level instead of keys. */
    public static final String NOT_A_MAPPING = "descriptor-not-a-mapping";
    /** A key the descriptor does not have (a typo, or a key at the wrong indentation). */
    public static final String UNKNOWN_KEY = "descriptor-unknown-key";
    /** The same key twice in one mapping. */
    public static final String DUPLICATE_KEY = "descriptor-duplicate-key";
    /** A required field is absent or empty. */
    public static final String MISSING_FIELD = "descriptor-missing-field";
    /** A field holds another kind of value than it takes (a text where a list belongs, ...). */
    public static final String WRONG_TYPE = "descriptor-wrong-type";
    /** A field's value is not one it accepts. */
    public static final String INVALID_VALUE = "descriptor-invalid-value";
    /** {@code schedule} is not a Quartz cron expression. */
    public static final String INVALID_CRON = "descriptor-invalid-cron";
    /** A path leaves the platform-images root (also through a symbolic link). */
    public static final String PATH_OUTSIDE_ROOT = "descriptor-path-outside-root";
    /** The image's Dockerfile does not exist or is not a file. */
    public static final String DOCKERFILE_MISSING = "descriptor-dockerfile-missing";
    /** A Dockerfile cannot be read as one (no FROM, a FROM that names no image, ...). */
    public static final String DOCKERFILE_INVALID = "descriptor-dockerfile-invalid";
    /** The integration test's application folder, or its Dockerfile, does not exist. */
    public static final String APP_MISSING = "descriptor-app-missing";
    /** {@code integrationTest.replaceFrom} is not the image of a FROM line of the application's Dockerfile. */
    public static final String REPLACE_FROM_NOT_IN_APP = "descriptor-replace-from-not-in-app";
    /** The folder path is not a valid image id. */
    public static final String INVALID_IMAGE_ID = "descriptor-invalid-image-id";
    /** The folder is a symbolic link to another image's folder: one folder would be two images. */
    public static final String DUPLICATE_IMAGE_ID = "descriptor-duplicate-image-id";
    /** Another image publishes the same moving tag to the same repository. */
    public static final String DUPLICATE_TAG = "descriptor-duplicate-tag";
    /** Another image publishes versions with the same tag prefix to the same repository. */
    public static final String DUPLICATE_TAG_PREFIX = "descriptor-duplicate-tag-prefix";
    /** The image folder's {@code .dockerignore} holds a pattern Docker refuses (the problem's line names it). */
    public static final String DOCKERIGNORE_INVALID = "descriptor-dockerignore-invalid";
    /** Images are built FROM each other's tags in a circle (an image FROM its own tag included). */
    public static final String DEPENDENCY_CYCLE = "descriptor-dependency-cycle";
    /** The file cannot be read (permissions, not a file). */
    public static final String UNREADABLE = "descriptor-unreadable";

    public DescriptorProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        line = Math.max(0, line);
        column = line == 0 ? 0 : Math.max(0, column);
    }

    /** {@code line 12, column 3}, {@code line 12}, or empty when the place is not known. */
    public String place() {
        if (line == 0) {
            return "";
        }
        return column == 0 ? "line " + line : "line " + line + ", column " + column;
    }

    /** What is wrong and where, one line: {@code net10/runtime/platform-image.yaml line 12, column 1: <message>}. */
    public String text() {
        return file + (line == 0 ? "" : " " + place()) + ": " + message;
    }

    @Override
    public String toString() {
        return text() + (hint == null ? "" : " (" + hint + ")");
    }
}
