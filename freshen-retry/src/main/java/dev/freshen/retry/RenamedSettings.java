package dev.freshen.retry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Refuses retry settings under their old names, so that a value somebody set is never silently ignored: the services
 * call {@link #refuse} at start-up with their renamed keys ({@code freshen.builder.retry-backoff} became
 * {@code freshen.builder.initial-backoff}). The old names are refused, not read as aliases: SmallRye config mappings
 * cannot alias a key, and a default of the new key would hide the old one.
 */
public final class RenamedSettings {

    private RenamedSettings() {
    }

    /**
     * @param isSet     whether a setting is given (by property or by environment variable), by property name
     * @param oldToNew  renamed settings, old name to new name
     * @throws IllegalStateException naming each old setting that is set (and its environment variable) and its new name
     */
    public static void refuse(Predicate<String> isSet, Map<String, String> oldToNew) {
        List<String> problems = new ArrayList<>();
        oldToNew.forEach((old, renamed) -> {
            if (isSet.test(old)) {
                problems.add(old + " (" + environmentName(old) + ") was renamed to " + renamed + " ("
                        + environmentName(renamed) + ")");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems) + ": set the new name instead (same value, "
                    + "same meaning); the old one is no longer read");
        }
    }

    /** {@code freshen.builder.retry-backoff} → {@code FRESHEN_BUILDER_RETRY_BACKOFF}, as SmallRye maps them. */
    public static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
