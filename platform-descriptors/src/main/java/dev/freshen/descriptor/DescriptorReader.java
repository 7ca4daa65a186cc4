package dev.freshen.descriptor;

import dev.freshen.events.Durations;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * Checks the text of a {@code platform-image.yaml} against the descriptor's keys and rules and reports <em>every</em>
 * problem, each with its line and column: the YAML is read with SnakeYAML's composer (which keeps where each node is)
 * and walked key by key, so a typo in one key does not hide a wrong value in another. The value rules are the
 * records' own ({@link Target#checkRepository} and friends), so this walk and the records cannot disagree.
 *
 * <p>Also collects what it could read: the position of every field (for problems found later, across files and
 * images) and each value that passed its own checks (the paths to check on disk, the target and channels of an
 * invalid image).
 */
final class DescriptorReader {

    /** A place in the file, 1-based. */
    record Mark(int line, int column) {
        static final Mark NONE = new Mark(0, 0);

        static Mark of(Node node) {
            return node == null ? NONE : new Mark(node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
        }
    }

    /** What a read found: the problems, where each field is, and each value that is valid by itself. */
    record Result(List<DescriptorProblem> problems, Map<String, Mark> positions, Map<String, Object> values) {

        Mark at(String path) {
            return positions.getOrDefault(path, Mark.NONE);
        }

        @SuppressWarnings("unchecked")
        <T> Optional<T> value(String path) {
            return Optional.ofNullable((T) values.get(path));
        }

        /** Whether no problem concerns {@code path} or a field below it. */
        boolean clean(String path) {
            return problems.stream().noneMatch(p -> p.field() != null
                    && (p.field().equals(path) || p.field().startsWith(path + ".") || p.field().startsWith(path + "[")));
        }
    }

    private final String file;
    private final List<String> lines;
    private final List<DescriptorProblem> problems = new ArrayList<>();
    private final Map<String, Mark> positions = new HashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    /** {@code integrationTest.platforms} as read (checked against the top-level {@code platforms} once both are). */
    private List<dev.freshen.events.image.Platform> testPlatforms;
    private Node testPlatformsNode;

    private DescriptorReader(String file, String text) {
        this.file = file;
        this.lines = text.lines().toList();
    }

    /** Reads {@code text}, the content of {@code file} (shown relative to the platform-images root). */
    static Result read(String file, String text) {
        DescriptorReader reader = new DescriptorReader(file, text);
        reader.document(text);
        // in the order of the file; problems without a line (a missing top-level key) after the others
        List<DescriptorProblem> sorted = reader.problems.stream().sorted(java.util.Comparator
                .comparingInt((DescriptorProblem p) -> p.line() == 0 ? Integer.MAX_VALUE : p.line())
                .thenComparingInt(DescriptorProblem::column)).toList();
        return new Result(sorted, Map.copyOf(reader.positions),
                java.util.Collections.unmodifiableMap(reader.values));
    }

    private void document(String text) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // reported below, with both lines
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            problems.add(YamlSyntax.problem(file, lines, e));
            return;
        } catch (YAMLException e) {
            problems.add(new DescriptorProblem(DescriptorProblem.YAML_SYNTAX, file, null, 0, 0,
                    "not valid YAML: " + e.getMessage(), "Check the indentation and the quotes of the file."));
            return;
        }
        if (root == null || isNull(root)) {
            problems.add(new DescriptorProblem(DescriptorProblem.EMPTY, file, null, 0, 0, "the file is empty",
                    "Write at least target: {repository: ..., tagPrefix: ...}; docs/descriptors.md has a full example."));
            return;
        }
        if (!(root instanceof MappingNode top)) {
            Mark at = Mark.of(root);
            String hint = "Write keys at the top level (schedule:, target:, build:, integrationTest:, checks:, notify:), "
                    + "each followed by ': ' and its value.";
            if (root instanceof ScalarNode scalar) {
                Matcher missing = YamlSyntax.NO_SPACE_AFTER_COLON.matcher(scalar.getValue().lines().findFirst().orElse(""));
                if (missing.matches()) {
                    hint = YamlSyntax.spaceAfterColon(missing.group(1), missing.group(2));
                }
            }
            problems.add(new DescriptorProblem(DescriptorProblem.NOT_A_MAPPING, file, null, at.line(), at.column(),
                    "expected keys (target:, schedule:, ...) at the top level, found " + describe(root), hint));
            return;
        }
        Map<String, Node> keys = keys("", top);
        text("schedule", keys.get("schedule"), false)
                .ifPresent(s -> rule("schedule", keys.get("schedule"), DescriptorProblem.INVALID_CRON, () -> Descriptor.checkSchedule(s), s));
        target(keys);
        build(keys);
        integrationTest(keys);
        checks(keys);
        list("notify", keys.get("notify")).ifPresent(items -> {
            List<String> channels = texts("notify", items, Descriptor::checkChannel);
            if (channels != null) {
                values.put("notify", channels);
            }
        });
        List<dev.freshen.events.image.Platform> platforms = new ArrayList<>();
        list("platforms", keys.get("platforms")).ifPresent(items -> {
            List<String> texts = texts("platforms", items, t -> platforms.add(platform(t)));
            if (texts != null) {
                rule("platforms", keys.get("platforms"), null, () -> Descriptor.checkPlatforms(platforms), platforms);
            }
        });
        if (testPlatforms != null) {
            List<dev.freshen.events.image.Platform> tested = testPlatforms;
            rule("integrationTest.platforms", testPlatformsNode, null,
                    () -> Descriptor.checkTestPlatforms(tested, platforms), tested);
        }
        text("settle", keys.get("settle"), false).ifPresent(t -> rule("settle", keys.get("settle"), null,
                () -> Descriptor.checkSettle(parseDuration("settle", t)), t));
        scan(keys);
        bool("rebuildOnChange", keys.get("rebuildOnChange"));
    }

    private void scan(Map<String, Node> top) {
        mapping("scan", top.get("scan"), false).ifPresent(scan -> {
            Map<String, Node> keys = keys("scan", scan);
            text("scan.failOn", keys.get("failOn"), false).ifPresent(f ->
                    rule("scan.failOn", keys.get("failOn"), null, () -> ScanPolicy.checkFailOn(f), f));
        });
    }

    private static dev.freshen.events.image.Platform platform(String text) {
        try {
            return dev.freshen.events.image.Platform.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("platforms", e.getMessage());
        }
    }

    private void target(Map<String, Node> top) {
        mapping("target", top.get("target"), true).ifPresent(target -> {
            Map<String, Node> keys = keys("target", target);
            Optional<String> repository = text("target.repository", keys.get("repository"), true);
            repository.ifPresent(r -> rule("target.repository", keys.get("repository"), null, () -> Target.checkRepository(r), r));
            Optional<String> prefix = text("target.tagPrefix", keys.get("tagPrefix"), true);
            prefix.ifPresent(p -> rule("target.tagPrefix", keys.get("tagPrefix"), null, () -> Target.checkTagPrefix(p), p));
            String knownPrefix = (String) values.get("target.tagPrefix");
            list("target.extraTags", keys.get("extraTags")).ifPresent(items -> {
                List<String> tags = texts("target.extraTags", items, tag -> Target.checkExtraTag(tag, knownPrefix));
                if (tags != null) {
                    values.put("target.extraTags", tags);
                }
            });
            mapping("target.retention", keys.get("retention"), false).ifPresent(retention -> {
                Map<String, Node> r = keys("target.retention", retention);
                integer("target.retention.keepVersions", r.get("keepVersions"), true).ifPresent(n -> rule(
                        "target.retention.keepVersions", r.get("keepVersions"), null, () -> Retention.checkKeepVersions(n), n));
            });
        });
    }

    private void build(Map<String, Node> top) {
        mapping("build", top.get("build"), false).ifPresent(build -> {
            Map<String, Node> keys = keys("build", build);
            text("build.dockerfile", keys.get("dockerfile"), false).ifPresent(d -> values.put("build.dockerfile", d));
            text("build.buildkit", keys.get("buildkit"), false)
                    .ifPresent(b -> rule("build.buildkit", keys.get("buildkit"), null, () -> Build.BuildKit.of(b), b));
            freeMapping("build.args", keys.get("args"));
        });
    }

    private void integrationTest(Map<String, Node> top) {
        mapping("integrationTest", top.get("integrationTest"), false).ifPresent(test -> {
            Map<String, Node> keys = keys("integrationTest", test);
            text("integrationTest.app", keys.get("app"), true).ifPresent(a -> values.put("integrationTest.app", a));
            text("integrationTest.dockerfile", keys.get("dockerfile"), false)
                    .ifPresent(d -> values.put("integrationTest.dockerfile", d));
            text("integrationTest.replaceFrom", keys.get("replaceFrom"), true).ifPresent(r ->
                    rule("integrationTest.replaceFrom", keys.get("replaceFrom"), null, () -> IntegrationTest.checkReplaceFrom(r), r));
            integer("integrationTest.port", keys.get("port"), true).ifPresent(p ->
                    rule("integrationTest.port", keys.get("port"), null, () -> IntegrationTest.checkPort(p), p));
            mapping("integrationTest.request", keys.get("request"), false).ifPresent(request -> {
                Map<String, Node> r = keys("integrationTest.request", request);
                text("integrationTest.request.method", r.get("method"), false).ifPresent(m -> rule(
                        "integrationTest.request.method", r.get("method"), null, () -> IntegrationTest.Request.checkMethod(m), m));
                text("integrationTest.request.path", r.get("path"), false).ifPresent(p -> rule(
                        "integrationTest.request.path", r.get("path"), null, () -> IntegrationTest.Request.checkPath(p), p));
                freeMapping("integrationTest.request.headers", r.get("headers"));
                text("integrationTest.request.body", r.get("body"), false);
            });
            mapping("integrationTest.expect", keys.get("expect"), false).ifPresent(expect -> {
                Map<String, Node> e = keys("integrationTest.expect", expect);
                integer("integrationTest.expect.status", e.get("status"), false).ifPresent(s -> rule(
                        "integrationTest.expect.status", e.get("status"), null,
                        () -> IntegrationTest.Expect.checkStatus(s == 0 ? 200 : s), s));
                text("integrationTest.expect.bodyContains", e.get("bodyContains"), false);
            });
            text("integrationTest.startupTimeout", keys.get("startupTimeout"), false).ifPresent(t -> rule(
                    "integrationTest.startupTimeout", keys.get("startupTimeout"), null,
                    () -> IntegrationTest.checkStartupTimeout(parseDuration("startupTimeout", t)), t));
            bool("integrationTest.allowBuildWarnings", keys.get("allowBuildWarnings"));
            list("integrationTest.platforms", keys.get("platforms")).ifPresent(items -> {
                List<dev.freshen.events.image.Platform> platforms = new ArrayList<>();
                if (texts("integrationTest.platforms", items, t -> platforms.add(platform(t))) != null) {
                    testPlatforms = platforms;
                    testPlatformsNode = keys.get("platforms");
                }
            });
        });
    }

    private void checks(Map<String, Node> top) {
        mapping("checks", top.get("checks"), false).ifPresent(checks -> {
            Map<String, Node> keys = keys("checks", checks);
            text("checks.user", keys.get("user"), false)
                    .ifPresent(u -> rule("checks.user", keys.get("user"), null, () -> Checks.User.of(u), u));
            list("checks.labels", keys.get("labels")).ifPresent(items -> texts("checks.labels", items, l -> { }));
            list("checks.env", keys.get("env")).ifPresent(items -> texts("checks.env", items, Checks::checkEnvName));
            list("checks.files", keys.get("files")).ifPresent(items -> texts("checks.files", items, Checks::checkFile));
            list("checks.commands", keys.get("commands")).ifPresent(items -> {
                for (int i = 0; i < items.size(); i++) {
                    String path = "checks.commands[" + i + "]";
                    Node item = items.get(i);
                    positions.put(path, Mark.of(item));
                    if (item instanceof SequenceNode command) {
                        List<String> args = texts(path, command.getValue(), a -> { });
                        if (args != null) {
                            rule(path, item, null, () -> Checks.checkCommand(args), args);
                        }
                    } else {
                        wrongType(path, item, "a list of arguments, e.g. [dotnet, --info]");
                    }
                }
            });
        });
    }

    private static java.time.Duration parseDuration(String field, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidField(field, e.getMessage());
        }
    }

    /**
     * The keys of a mapping by name, with their value nodes; reports keys that are not text, keys seen twice and keys
     * the mapping at {@code parent} does not have, and records where each key is.
     */
    private Map<String, Node> keys(String parent, MappingNode mapping) {
        Map<String, Node> keys = new LinkedHashMap<>();
        Map<String, Mark> seen = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Mark at = Mark.of(tuple.getKeyNode());
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode) || isNull(keyNode)) {
                problems.add(problem(DescriptorProblem.WRONG_TYPE, parent.isEmpty() ? null : parent, at,
                        "a key " + DescriptorKeys.where(parent) + " is not a plain name",
                        "Write keys as plain names followed by ': ', e.g. tagPrefix: 10.0-noble."));
                continue;
            }
            String key = keyNode.getValue();
            String path = DescriptorKeys.join(parent, key);
            Mark first = seen.putIfAbsent(key, at);
            if (first != null) {
                problems.add(problem(DescriptorProblem.DUPLICATE_KEY, path, at, "key '" + path + "' appears twice (lines "
                        + first.line() + " and " + at.line() + ")", "Keep one of them: YAML would use only the last."));
                continue;
            }
            if (!DescriptorKeys.MAPPINGS.get(parent).contains(key)) {
                problems.add(unknownKey(parent, key, at));
                continue;
            }
            positions.put(path, at);
            keys.put(key, tuple.getValueNode());
        }
        return keys;
    }

    private DescriptorProblem unknownKey(String parent, String key, Mark at) {
        String path = DescriptorKeys.join(parent, key);
        String allowed = String.join(", ", DescriptorKeys.MAPPINGS.get(parent));
        Optional<String> meant = DescriptorKeys.suggestion(parent, key);
        if (meant.isEmpty()) {
            return problem(DescriptorProblem.UNKNOWN_KEY, path, at, "unknown key '" + path + "'"
                            + (parent.isEmpty() ? " at the top level" : ""),
                    "Remove it, or use one of the keys " + DescriptorKeys.where(parent) + ": " + allowed + ".");
        }
        String suggested = meant.get();
        String suggestedParent = suggested.contains(".") ? suggested.substring(0, suggested.lastIndexOf('.')) : "";
        String hint;
        if (suggestedParent.equals(parent)) {
            hint = "Rename it to " + DescriptorKeys.last(suggested) + "; the keys " + DescriptorKeys.where(parent)
                    + " are: " + allowed + ".";
        } else if (suggestedParent.startsWith(parent)) {
            hint = "Indent it under " + suggestedParent + ": (it belongs to " + suggestedParent + ", not "
                    + (parent.isEmpty() ? "the top level" : parent) + ")"
                    + (DescriptorKeys.last(suggested).equals(key) ? "" : ", and name it " + DescriptorKeys.last(suggested)) + ".";
        } else {
            hint = "Move it " + DescriptorKeys.where(suggestedParent) + " (check its indentation)"
                    + (DescriptorKeys.last(suggested).equals(key) ? "" : ", and name it " + DescriptorKeys.last(suggested)) + ".";
        }
        return problem(DescriptorProblem.UNKNOWN_KEY, path, at, "unknown key '" + path + "'"
                + (parent.isEmpty() ? " at the top level" : "") + ": did you mean " + suggested + "?", hint);
    }

    /** A mapping at {@code path}; empty (with a problem when required or of another type) otherwise. */
    private Optional<MappingNode> mapping(String path, Node node, boolean required) {
        if (absent(path, node, required)) {
            return Optional.empty();
        }
        if (node instanceof MappingNode mapping) {
            return Optional.of(mapping);
        }
        wrongType(path, node, "keys (a mapping)");
        return Optional.empty();
    }

    /** A mapping of free names to texts ({@code build.args}, {@code request.headers}). */
    private void freeMapping(String path, Node node) {
        mapping(path, node, false).ifPresent(mapping -> {
            Map<String, String> read = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key) || isNull(key)) {
                    wrongType(path, tuple.getKeyNode(), "names with values");
                    continue;
                }
                text(path + "." + key.getValue(), tuple.getValueNode(), false).ifPresent(v -> read.put(key.getValue(), v));
            }
            values.put(path, java.util.Collections.unmodifiableMap(read));
        });
    }

    private Optional<String> text(String path, Node node, boolean required) {
        if (absent(path, node, required)) {
            return Optional.empty();
        }
        if (node instanceof ScalarNode scalar) {
            positions.put(path, Mark.of(node));
            return Optional.of(scalar.getValue());
        }
        wrongType(path, node, "a text");
        return Optional.empty();
    }

    private Optional<Integer> integer(String path, Node node, boolean required) {
        if (absent(path, node, required)) {
            return Optional.empty();
        }
        if (node instanceof ScalarNode scalar) {
            positions.put(path, Mark.of(node));
            try {
                return Optional.of(Integer.parseInt(scalar.getValue().strip()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        wrongType(path, node, "a whole number");
        return Optional.empty();
    }

    private void bool(String path, Node node) {
        if (absent(path, node, false)) {
            return;
        }
        if (node instanceof ScalarNode scalar && (scalar.getValue().equalsIgnoreCase("true")
                || scalar.getValue().equalsIgnoreCase("false"))) {
            return;
        }
        wrongType(path, node, "true or false");
    }

    private Optional<List<Node>> list(String path, Node node) {
        if (absent(path, node, false)) {
            return Optional.empty();
        }
        if (node instanceof SequenceNode sequence) {
            positions.put(path, Mark.of(node));
            return Optional.of(sequence.getValue());
        }
        wrongType(path, node, "a list");
        return Optional.empty();
    }

    /** Each item as text, checked by {@code check}; null when any item is not valid (problems reported). */
    private List<String> texts(String path, List<Node> items, Consumer<String> check) {
        List<String> texts = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            Optional<String> text = text(itemPath, items.get(i), true);
            if (text.isEmpty()) {
                valid = false;
                continue;
            }
            int before = problems.size();
            rule(itemPath, items.get(i), null, () -> check.accept(text.get()), text.get());
            valid &= problems.size() == before;
            texts.add(text.get());
        }
        return valid ? texts : null;
    }

    /**
     * Whether there is no value at {@code path} (the key is missing, or written with nothing after it); a missing
     * required value is a problem, placed at its key, else at the key of the mapping it belongs in.
     */
    private boolean absent(String path, Node node, boolean required) {
        if (node != null && !isNull(node)) {
            return false;
        }
        if (required) {
            Mark at = node != null ? positions.getOrDefault(path, Mark.of(node)) : parentMark(path);
            String key = DescriptorKeys.last(path.replaceAll("\\[\\d+]$", ""));
            String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
            problems.add(problem(DescriptorProblem.MISSING_FIELD, path, at, path.endsWith("]")
                    ? "field '" + path + "' is empty" : "field '" + path + "' is required",
                    path.endsWith("]") ? "Remove the empty item, or write " + DescriptorKeys.help(path) + "."
                            : "Add " + key + ": " + DescriptorKeys.where(parent) + ", " + DescriptorKeys.help(path) + "."));
        }
        return true;
    }

    private Mark parentMark(String path) {
        String parent = path;
        while (parent.contains(".")) {
            parent = parent.substring(0, parent.lastIndexOf('.'));
            Mark mark = positions.get(parent);
            if (mark != null) {
                return mark;
            }
        }
        return Mark.NONE;
    }

    private void wrongType(String path, Node node, String expected) {
        Mark at = Mark.of(node);
        String hint = "Write " + DescriptorKeys.help(path) + ".";
        if (node instanceof ScalarNode scalar) {
            Matcher missing = YamlSyntax.NO_SPACE_AFTER_COLON.matcher(scalar.getValue().lines().findFirst().orElse(""));
            if (missing.matches()) {
                hint = YamlSyntax.spaceAfterColon(missing.group(1), missing.group(2));
            }
        }
        problems.add(problem(DescriptorProblem.WRONG_TYPE, path, at, "field '" + path + "' must be " + expected
                + ", found " + describe(node), hint));
    }

    /** Runs a value rule; a broken rule becomes a problem at the value. */
    private void rule(String path, Node node, String code, Runnable check, Object value) {
        try {
            check.run();
            values.put(path, value);
        } catch (InvalidField e) {
            Mark at = Mark.of(node);
            problems.add(problem(code == null ? DescriptorProblem.INVALID_VALUE : code, path, at,
                    "field '" + path + "': " + e.problem(), "Write " + DescriptorKeys.help(path) + "."));
        }
    }

    private DescriptorProblem problem(String code, String field, Mark at, String message, String hint) {
        return new DescriptorProblem(code, file, field, at.line(), at.column(), message, hint);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "keys (a mapping)";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        String value = ((ScalarNode) node).getValue();
        String line = value.lines().findFirst().orElse("");
        return "the text '" + (line.length() > 60 ? line.substring(0, 59) + "…" : line) + "'"
                + (value.toLowerCase(Locale.ROOT).equals(line.toLowerCase(Locale.ROOT)) ? "" : " (several lines)");
    }
}
