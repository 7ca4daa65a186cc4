package dev.freshen.retry;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Refuses retry settings under their old names, so that a value somebody set is never silently ignored: the services
 * call {@link #refuse} at start-up with their renamed keys ({@code freshen.builder.retry-backoff} became
 * {@code freshen.builder.initial-backoff}). The old names are refused, not read as aliases: SmallRye config mappings
 * cannot alias a key, and the new key's default would hide the old one. (Each service's mapping keeps the old key as
 * a deprecated {@code Optional}, so that SmallRye accepts it and this message, naming the new key, is what stops the
 * start.)
 */
public final class RenamedSettings {

    /** A setting renamed from {@code oldName} to {@code newName}; {@code set} when the old one is given. */
    public record Renamed(String oldName, String newName, boolean set) {
    }

    private RenamedSettings() {
    }

    /** @throws IllegalStateException naming each old setting that is set (and its environment variable) and its new name */
    public static void refuse(Renamed... renamed) {
        List<String> problems = Stream.of(renamed).filter(Renamed::set)
                .map(r -> r.oldName() + " (" + environmentName(r.oldName()) + ") was renamed to " + r.newName() + " ("
                        + environmentName(r.newName()) + ")")
                .collect(Collectors.toList());
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
