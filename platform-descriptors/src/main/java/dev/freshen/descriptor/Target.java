package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.VersionTag;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the platform image is published: {@code repository} in the target registry (the registry itself is global
 * configuration), version tags {@code <tagPrefix>-<major>.<minor>.<patch>}, and {@code extraTags} that move to each
 * new version (templates like {@code {runId}} are expanded by the publisher). {@code retention}: how many versions to
 * keep ({@code null}: all of them).
 */
public record Target(String repository, String tagPrefix, List<String> extraTags, Retention retention) {

    private static final Pattern TEMPLATE_OR_TAG = Pattern.compile("[\\w{][\\w.{}-]{0,127}");

    public Target {
        InvalidField.required(repository, "repository");
        checkRepository(repository);
        InvalidField.required(tagPrefix, "tagPrefix");
        checkTagPrefix(tagPrefix);
        extraTags = extraTags == null ? List.of() : List.copyOf(extraTags);
        for (String tag : extraTags) {
            checkExtraTag(tag, tagPrefix);
        }
    }

    /** A target that keeps every version. */
    public Target(String repository, String tagPrefix, List<String> extraTags) {
        this(repository, tagPrefix, extraTags, null);
    }

    static void checkRepository(String repository) {
        try {
            ImageReference.parse("registry.invalid/" + repository);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("repository", e.getMessage().replace("image reference 'registry.invalid/" + repository + "': ", ""));
        }
    }

    static void checkTagPrefix(String tagPrefix) {
        try {
            VersionTag.initial(tagPrefix);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("tagPrefix", e.getMessage());
        }
    }

    /** One extra tag; {@code tagPrefix} may be {@code null} when it is not known (then only the tag's shape is checked). */
    static void checkExtraTag(String tag, String tagPrefix) {
        if (tag == null || !TEMPLATE_OR_TAG.matcher(tag).matches()) {
            throw new InvalidField("extraTags", "'" + tag + "' is not a valid tag (letters, digits, '_', '.', '-', templates in {})");
        }
        if (tagPrefix != null && VersionTag.parse(tagPrefix, tag).isPresent()) {
            throw new InvalidField("extraTags", "'" + tag + "' looks like a version tag of prefix " + tagPrefix
                    + "; versions are assigned by the publisher");
        }
    }

    /** Whether {@code tag} is a literal tag (no template): the same text on every publish, so it moves. */
    public static boolean isMoving(String tag) {
        return !tag.contains("{");
    }
}
