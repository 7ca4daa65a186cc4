package dev.freshen.tester;

import dev.freshen.descriptor.Checks;
import dev.freshen.events.CheckResult;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs a descriptor's declarative checks against a candidate: its user, required labels and environment variables,
 * files that must exist and commands that must exit 0. Every check yields a named result.
 */
public final class PolicyChecks {

    private PolicyChecks() {
    }

    /**
     * @param fileExists whether a path exists in the candidate
     * @param run        runs a command in a throw-away container of the candidate
     */
    public static List<CheckResult> evaluate(Checks checks, ImageFacts facts, Predicate<String> fileExists,
                                             Function<List<String>, CommandResult> run) {
        List<CheckResult> results = new ArrayList<>();
        if (checks.user() == Checks.User.NON_ROOT) {
            results.add(new CheckResult("user: non-root", !facts.runsAsRoot(),
                    facts.user().isEmpty() ? "no USER set: the image runs as root" : "runs as '" + facts.user() + "'"));
        }
        for (String label : checks.labels()) {
            String value = facts.labels().get(label);
            results.add(new CheckResult("label: " + label, value != null && !value.isBlank(),
                    value == null ? "missing" : value));
        }
        for (String env : checks.env()) {
            boolean set = facts.hasEnv(env);
            results.add(new CheckResult("env: " + env, set, set ? "set" : "not set"));
        }
        for (String file : checks.files()) {
            boolean exists = fileExists.test(file);
            results.add(new CheckResult("file: " + file, exists, exists ? "exists" : "missing"));
        }
        for (List<String> command : checks.commands()) {
            CommandResult result = run.apply(command);
            results.add(new CheckResult("command: " + String.join(" ", command), result.exitCode() == 0,
                    "exit " + result.exitCode() + (result.exitCode() == 0 ? "" : ": " + lastLines(result.output(), 5))));
        }
        return results;
    }

    static String lastLines(String text, int n) {
        String[] lines = text.strip().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
    }
}
