package dev.freshen.watcher.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The keys of the write endpoints, each with a name: {@code freshen.watcher.api-keys.<name>.key} or
 * {@code .key-file}, and the single {@code freshen.watcher.api-key} / {@code api-key-file} as the key named
 * {@value #DEFAULT}. Several keys are valid at once (rotation: add the new key, move the clients, remove the old one).
 * A request's key is matched against every key in constant time and answers the key's name, never the key; keys are
 * never logged, evented or echoed.
 *
 * <p>Start-up rules, all reported at once, each naming the setting and never its value: at least one key; for each
 * name exactly one of value and file; a readable, non-empty file; at least {@value #MIN_LENGTH} characters; names of
 * lowercase letters, digits and {@code -}; no key given twice under two names (who asked would be ambiguous).
 */
public final class ApiKeys {

    /** The name of the key set by {@code freshen.watcher.api-key} / {@code api-key-file}. */
    public static final String DEFAULT = "default";
    /** The shortest key accepted. */
    public static final int MIN_LENGTH = 16;

    private static final String PREFIX = "freshen.watcher.";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern ENV_NAME = Pattern.compile("[a-z0-9]+");

    /** One key as configured: a value, a file, both (refused) or neither (refused). */
    public record Setting(Optional<String> value, Optional<Path> file) {
    }

    private record Key(String name, byte[] hash) {
    }

    private final List<Key> keys;

    private ApiKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * The keys of the watcher.
     *
     * @param single the key named {@value #DEFAULT} ({@code api-key}, {@code api-key-file}); both empty when not set
     * @param named  {@code api-keys.<name>} by name
     * @throws IllegalStateException naming every setting that breaks a rule above (never a key)
     */
    public static ApiKeys of(Setting single, Map<String, Setting> named) {
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        if (single.value().isPresent() || single.file().isPresent()) {
            if (named.containsKey(DEFAULT)) {
                problems.add(PREFIX + "api-key and " + PREFIX + "api-keys.default both set the key named default: keep one");
            }
            resolve(single, PREFIX + "api-key", PREFIX + "api-key-file", problems).ifPresent(v -> values.put(DEFAULT, v));
        }
        new TreeMap<>(named).forEach((name, setting) -> {
            if (!NAME.matcher(name).matches()) {
                problems.add("'" + name + "' (" + PREFIX + "api-keys." + name + ") is not an API key name: use lowercase "
                        + "letters, digits and '-', e.g. ci-pipeline");
                return;
            }
            resolve(setting, property(name, "key"), property(name, "key-file"), problems).ifPresent(v -> values.put(name, v));
        });
        if (values.isEmpty() && problems.isEmpty()) {
            problems.add("no API key for the watcher's write endpoints: set " + property("<name>", "key-file")
                    + " or " + PREFIX + "api-key-file (FRESHEN_WATCHER_API_KEY_FILE), or the key itself in "
                    + property("<name>", "key") + " or " + PREFIX + "api-key (FRESHEN_WATCHER_API_KEY)");
        }
        Map<String, String> byValue = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            String other = byValue.putIfAbsent(value, name);
            if (other != null) {
                problems.add("the API keys named " + other + " and " + name + " are the same key: give each name its own "
                        + "key, so that a forced run says who asked");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the watcher's API keys are not usable: " + String.join("; ", problems));
        }
        List<Key> keys = new ArrayList<>();
        values.forEach((name, value) -> keys.add(new Key(name, sha256(value))));
        return new ApiKeys(keys);
    }

    /** The name of the key {@code presented} is, compared with every key in constant time; empty when none. */
    public Optional<String> nameOf(String presented) {
        byte[] hash = sha256(presented);
        String found = null;
        for (Key key : keys) {
            if (MessageDigest.isEqual(hash, key.hash()) && found == null) {
                found = key.name();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The names of the keys, in name order ({@value #DEFAULT} first when set). */
    public List<String> names() {
        return keys.stream().map(Key::name).toList();
    }

    @Override
    public String toString() {
        return "ApiKeys" + names();
    }

    private static Optional<String> resolve(Setting setting, String valueName, String fileName, List<String> problems) {
        if (setting.value().isPresent() && setting.file().isPresent()) {
            problems.add(valueName + " and " + fileName + " are both set: keep one");
            return Optional.empty();
        }
        String key;
        String from;
        if (setting.value().isPresent()) {
            key = setting.value().get().strip();
            from = valueName;
        } else if (setting.file().isPresent()) {
            Path file = setting.file().get();
            try {
                key = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (NoSuchFileException e) {
                problems.add(fileName + ": no such file " + file);
                return Optional.empty();
            } catch (AccessDeniedException e) {
                problems.add(fileName + ": cannot read " + file + " (permission denied for uid " + uid() + ")");
                return Optional.empty();
            } catch (IOException e) {
                problems.add(fileName + ": cannot read " + file + (Files.isDirectory(file) ? " (a folder, not a file)"
                        : " (I/O error)"));
                return Optional.empty();
            }
            from = fileName + ": the key in " + file;
        } else {
            problems.add(valueName + " or " + fileName + " must be set");
            return Optional.empty();
        }
        if (key.isEmpty()) {
            problems.add(from + " is empty");
            return Optional.empty();
        }
        if (key.length() < MIN_LENGTH) {
            problems.add(from + " is " + key.length() + " characters long; an API key needs at least " + MIN_LENGTH
                    + " (e.g. openssl rand -hex 24)");
            return Optional.empty();
        }
        return Optional.of(key);
    }

    /** {@code freshen.watcher.api-keys.ci.key-file (FRESHEN_WATCHER_API_KEYS_CI_KEY_FILE)}; the variable only where one can set it. */
    static String property(String name, String member) {
        String property = PREFIX + "api-keys." + name + "." + member;
        boolean env = ENV_NAME.matcher(name).matches() || name.equals("<name>");
        return env ? property + " (FRESHEN_WATCHER_API_KEYS_" + name.toUpperCase(java.util.Locale.ROOT) + "_"
                + member.replace('-', '_').toUpperCase(java.util.Locale.ROOT) + ")" : property;
    }

    private static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return System.getProperty("user.name", "?");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
