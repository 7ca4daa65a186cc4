package dev.freshen.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An IAM identity-based policy document as checked in under {@code docs/iam/}, read for one purpose: comparing what it
 * allows with what a service was recorded doing ({@link IamRecording}). Only what least-privilege policies of this
 * kind use is accepted: {@code "Version": "2012-10-17"}, statements with {@code "Effect": "Allow"}, {@code Action} and
 * {@code Resource} as a string or a list; {@code Deny}, {@code NotAction}, {@code NotResource}, {@code Condition} and
 * wildcards in actions are refused. Resources match as IAM matches ARNs: {@code *} any run of characters (slashes
 * included), {@code ?} one character (IAM User Guide, "IAM JSON policy elements: Resource").
 */
public final class IamPolicy {

    /** One statement: its {@code Sid} (or its position), actions and resource patterns. */
    public record Statement(String sid, Set<String> actions, List<String> resources) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN_KEYS = Set.of("Sid", "Effect", "Action", "Resource");

    private final List<Statement> statements;

    private IamPolicy(List<Statement> statements) {
        this.statements = List.copyOf(statements);
    }

    /**
     * @throws IllegalArgumentException when the file is not such a policy, naming what is wrong
     * @throws UncheckedIOException when it cannot be read
     */
    public static IamPolicy read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the IAM policy " + file, e);
        }
        return parse(root, file.toString());
    }

    /** {@link #read} from JSON text; {@code name} is what messages call it. */
    public static IamPolicy parse(String json, String name) {
        try {
            return parse(JSON.readTree(json), name);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + " is not JSON: " + e.getMessage(), e);
        }
    }

    public List<Statement> statements() {
        return statements;
    }

    /**
     * Compares the policy with what was used.
     *
     * @param used         IAM action to the resources it was used on ({@link IamRecording#of})
     * @param placeholders words in the policy's resources to replace first, e.g. {@code REGION} by {@code us-east-1}
     * @return one sentence per difference, empty when the policy allows every use and nothing else: a use no statement
     * allows; an action of a statement that no use on that statement's resources needed; a statement on {@code *}
     * for an action that was only used on repositories
     */
    public List<String> differences(Map<String, ? extends Collection<String>> used, Map<String, String> placeholders) {
        List<Statement> resolved = statements.stream().map(s -> new Statement(s.sid(), s.actions(),
                s.resources().stream().map(r -> substitute(r, placeholders)).toList())).toList();
        List<String> differences = new ArrayList<>();
        used.forEach((action, resources) -> {
            for (String resource : resources) {
                if (resolved.stream().noneMatch(s -> s.actions().contains(action) && matchesAny(s.resources(), resource))) {
                    differences.add(action + " on " + resource + " is used, but no statement allows it");
                }
            }
        });
        for (Statement statement : resolved) {
            for (String action : statement.actions()) {
                Collection<String> resources = used.containsKey(action) ? used.get(action) : List.of();
                if (resources.stream().noneMatch(r -> matchesAny(statement.resources(), r))) {
                    differences.add("statement " + statement.sid() + " allows " + action + " on " + statement.resources()
                            + ", but nothing used it there" + (resources.isEmpty() ? "" : " (used on " + resources + ")"));
                } else if (statement.resources().contains("*") && resources.stream().noneMatch("*"::equals)) {
                    differences.add("statement " + statement.sid() + " allows " + action + " on every resource ('*'), "
                            + "but it was only used on " + resources + ": scope it to the repositories");
                }
            }
        }
        return differences;
    }

    /** Whether an IAM resource pattern ({@code *}, {@code ?} wildcards) matches {@code resource}. */
    public static boolean matches(String pattern, String resource) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return Pattern.matches(regex.toString(), resource);
    }

    private static boolean matchesAny(List<String> patterns, String resource) {
        return patterns.stream().anyMatch(p -> matches(p, resource));
    }

    private static String substitute(String resource, Map<String, String> placeholders) {
        String out = resource;
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            out = out.replace(p.getKey(), p.getValue());
        }
        return out;
    }

    private static IamPolicy parse(JsonNode root, String name) {
        if (!"2012-10-17".equals(root.path("Version").asText())) {
            throw new IllegalArgumentException(name + ": \"Version\" must be \"2012-10-17\"");
        }
        JsonNode list = root.path("Statement");
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(name + ": \"Statement\" must be a non-empty list");
        }
        List<Statement> statements = new ArrayList<>();
        for (JsonNode s : list) {
            String sid = s.hasNonNull("Sid") ? s.get("Sid").asText() : "#" + (statements.size() + 1);
            s.fieldNames().forEachRemaining(key -> {
                if (!KNOWN_KEYS.contains(key)) {
                    throw new IllegalArgumentException(name + ", statement " + sid + ": \"" + key
                            + "\" is not supported here (only Allow statements with Action and Resource)");
                }
            });
            if (!"Allow".equals(s.path("Effect").asText())) {
                throw new IllegalArgumentException(name + ", statement " + sid + ": \"Effect\" must be \"Allow\"");
            }
            List<String> actions = strings(s.path("Action"), name + ", statement " + sid + ", Action");
            for (String action : actions) {
                if (action.contains("*") || action.contains("?")) {
                    throw new IllegalArgumentException(name + ", statement " + sid + ": the action " + action
                            + " has a wildcard: name each action");
                }
            }
            statements.add(new Statement(sid, Set.copyOf(actions), strings(s.path("Resource"),
                    name + ", statement " + sid + ", Resource")));
        }
        return new IamPolicy(statements);
    }

    private static List<String> strings(JsonNode node, String what) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        }
        if (out.isEmpty() || out.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(what + " must be a string or a non-empty list of strings");
        }
        return out;
    }
}
