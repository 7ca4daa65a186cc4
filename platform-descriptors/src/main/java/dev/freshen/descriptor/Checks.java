package dev.freshen.descriptor;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Policy checks run against the candidate itself: its configured {@code user}, {@code labels} that must be set,
 * {@code env} variables that must be set, {@code files} that must exist, and {@code commands} that must exit 0 in a
 * throw-away container.
 */
public record Checks(User user, List<String> labels, List<String> env, List<String> files, List<List<String>> commands) {

    /** Who the image runs as. */
    public enum User {
        /** The configured user must not be root (empty, {@code root}, {@code 0}, {@code 0:0}). */
        NON_ROOT("non-root"),
        ANY("any");

        private final String id;

        User(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }

        @JsonCreator
        public static User of(String value) {
            for (User user : values()) {
                if (value != null && user.id.equals(value.toLowerCase(Locale.ROOT))) {
                    return user;
                }
            }
            throw new InvalidField("user", "'" + value + "' is not one of non-root, any");
        }
    }

    public static final Checks NONE = new Checks(null, null, null, null, null);
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Checks {
        user = user == null ? User.ANY : user;
        labels = labels == null ? List.of() : List.copyOf(labels);
        env = env == null ? List.of() : List.copyOf(env);
        files = files == null ? List.of() : List.copyOf(files);
        commands = commands == null ? List.of() : commands.stream().map(List::copyOf).toList();
        env.forEach(Checks::checkEnvName);
        files.forEach(Checks::checkFile);
        commands.forEach(Checks::checkCommand);
    }

    static void checkEnvName(String name) {
        if (name == null || !ENV_NAME.matcher(name).matches()) {
            throw new InvalidField("env", "'" + name + "' is not an environment variable name (letters, digits, '_')");
        }
    }

    static void checkFile(String file) {
        if (file == null || !file.startsWith("/")) {
            throw new InvalidField("files", "'" + file + "' must be an absolute path inside the image");
        }
    }

    static void checkCommand(List<String> command) {
        if (command.isEmpty() || command.stream().anyMatch(a -> a == null || a.isBlank())) {
            throw new InvalidField("commands", "each command is a non-empty list of arguments, e.g. [dotnet, --info]");
        }
    }

    public boolean isEmpty() {
        return user == User.ANY && labels.isEmpty() && env.isEmpty() && files.isEmpty() && commands.isEmpty();
    }
}
