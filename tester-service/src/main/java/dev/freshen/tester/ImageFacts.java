package dev.freshen.tester;

import java.util.List;
import java.util.Map;

/** What the candidate's image configuration says: the user it runs as, its environment and its labels. */
public record ImageFacts(String user, List<String> env, Map<String, String> labels) {

    public ImageFacts {
        user = user == null ? "" : user;
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Root when no user is set, or the user is root / uid 0 (with or without a group). */
    public boolean runsAsRoot() {
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        return name.isEmpty() || name.equals("root") || name.equals("0");
    }

    public boolean hasEnv(String name) {
        return env.stream().anyMatch(e -> e.startsWith(name + "="));
    }
}
