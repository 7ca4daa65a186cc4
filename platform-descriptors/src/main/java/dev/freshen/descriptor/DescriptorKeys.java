package dev.freshen.descriptor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys a descriptor may have, by path ({@code ""} is the top level, {@code integrationTest.request} a nested
 * mapping), what each field takes (the text of hints), and the near-miss suggestions for unknown keys. Mirrors the
 * records ({@link Descriptor}, {@link Target}, {@link Retention}, {@link Build}, {@link IntegrationTest}, {@link Checks},
 * {@link ScanPolicy});
 * {@code DescriptorKeysTest} holds the two in step.
 */
final class DescriptorKeys {

    /** The keys of each mapping of the descriptor, by the mapping's path. */
    static final Map<String, Set<String>> MAPPINGS = Map.of(
            "", names("schedule", "target", "build", "integrationTest", "checks", "notify", "platforms", "settle", "scan",
                    "rebuildOnChange"),
            "scan", names("failOn"),
            "target", names("repository", "tagPrefix", "extraTags", "retention"),
            "target.retention", names("keepVersions"),
            "build", names("dockerfile", "buildkit", "args"),
            "integrationTest", names("app", "dockerfile", "replaceFrom", "port", "request", "expect", "startupTimeout",
                    "allowBuildWarnings", "platforms"),
            "integrationTest.request", names("method", "path", "headers", "body"),
            "integrationTest.expect", names("status", "bodyContains"),
            "checks", names("user", "labels", "env", "files", "commands"));

    /** What each field takes, written to follow "Write ..." or "Add ...: ...". */
    private static final Map<String, String> HELP = help();

    /** Largest edit distance of a suggestion (and at most half the key's length). */
    private static final int MAX_DISTANCE = 2;

    private DescriptorKeys() {
    }

    private static Set<String> names(String... names) {
        return new TreeSet<>(List.of(names));
    }

    private static Map<String, String> help() {
        Map<String, String> help = new LinkedHashMap<>();
        help.put("schedule", "a Quartz cron expression of six fields, seconds minutes hours day-of-month month "
                + "day-of-week, with ? in one of the day fields, e.g. \"0 */15 * * * ?\" (every 15 minutes); or leave "
                + "schedule out for the watcher's default");
        help.put("target", "where the image is published, e.g. target: {repository: platform/dotnet/runtime, "
                + "tagPrefix: 10.0-noble, extraTags: [latest]}");
        help.put("target.repository", "the repository in the target registry, in lowercase, e.g. platform/dotnet/runtime");
        help.put("target.tagPrefix", "the start of every version tag, e.g. 10.0-noble (versions become "
                + "10.0-noble-1.0.0, 10.0-noble-1.1.0, ...)");
        help.put("target.extraTags", "a list of tags that move to each new version, e.g. [\"10.0\", latest]");
        help.put("target.retention", "how many versions to keep, e.g. retention: {keepVersions: 10} (leave it out to "
                + "keep every version)");
        help.put("target.retention.keepVersions", "a whole number of at least 1: how many of the newest versions stay "
                + "in the repository, e.g. 10");
        help.put("build", "how the image is built, e.g. build: {dockerfile: Dockerfile, buildkit: auto}");
        help.put("build.dockerfile", "the Dockerfile's path relative to the image folder (default: Dockerfile)");
        help.put("build.buildkit", "one of auto, always, never");
        help.put("build.args", "build arguments as name: value pairs, e.g. {DOTNET_VERSION: \"10.0\"}");
        help.put("integrationTest", "the application that proves the image, e.g. integrationTest: {app: apps/echo, "
                + "replaceFrom: registry.example/platform/dotnet/runtime:10.0, port: 8080}");
        help.put("integrationTest.app", "the test application's folder relative to the platform-images root, e.g. "
                + "apps/net10-echo-console");
        help.put("integrationTest.dockerfile", "the application's Dockerfile relative to its folder (default: Dockerfile)");
        help.put("integrationTest.replaceFrom", "the image of a FROM line of the application's Dockerfile, written the "
                + "same way, e.g. registry.example/platform/dotnet/runtime:10.0");
        help.put("integrationTest.port", "the container port the application listens on, 1-65535, e.g. 8080");
        help.put("integrationTest.request", "the request sent to the application, e.g. request: {method: GET, path: /}");
        help.put("integrationTest.request.method", "one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS");
        help.put("integrationTest.request.path", "the request path, starting with /");
        help.put("integrationTest.request.headers", "header names and values, e.g. {Content-Type: application/json}");
        help.put("integrationTest.request.body", "the request body as text");
        help.put("integrationTest.expect", "what the answer must be, e.g. expect: {status: 200, bodyContains: ok}");
        help.put("integrationTest.expect.status", "an HTTP status, 100-599 (default: 200)");
        help.put("integrationTest.expect.bodyContains", "a text the answer's body must contain");
        help.put("integrationTest.startupTimeout", "a duration from 1s to 30m, e.g. 60s or 5m");
        help.put("integrationTest.allowBuildWarnings", "true or false");
        help.put("checks", "the policy checks, e.g. checks: {user: non-root, commands: [[dotnet, --info]]}");
        help.put("checks.user", "one of non-root, any");
        help.put("checks.labels", "a list of label names the image must carry, e.g. [org.opencontainers.image.base.digest]");
        help.put("checks.env", "a list of environment variable names the image must set, e.g. [APP_UID]");
        help.put("checks.files", "a list of absolute paths that must exist in the image, e.g. [/etc/passwd]");
        help.put("checks.commands", "a list of commands, each a list of arguments, e.g. [[dotnet, --info]]");
        help.put("notify", "a list of notification channel names, e.g. [platform-team]");
        help.put("platforms", "a list of linux platforms, os/architecture[/variant], each once, e.g. [linux/amd64] or "
                + "[linux/amd64, linux/arm64] (default: the services' freshen.registries.platform)");
        help.put("integrationTest.platforms", "a list of the image's platforms to run the application on, e.g. "
                + "[linux/amd64] (default: all of platforms)");
        help.put("settle", "a duration from 1s to 24h, e.g. 10m: how long the bases' digests must stay unchanged "
                + "before a run starts (leave it out to start at once)");
        help.put("scan", "what the registry's image scan of the candidate decides, e.g. scan: {failOn: CRITICAL}");
        help.put("rebuildOnChange", "true or false: whether a changed Dockerfile, build context or build settings "
                + "starts a run by itself (default true; false = changes wait for a forced run)");
        help.put("scan.failOn", "the lowest severity that fails the run, as ECR names it: one of CRITICAL, HIGH, MEDIUM, "
                + "LOW, INFORMATIONAL (leave it out to never fail on findings)");
        return Map.copyOf(help);
    }

    /** What {@code path} takes ({@code target.extraTags[2]} is a {@code target.extraTags} item). */
    static String help(String path) {
        String field = path.replaceAll("\\[\\d+]", "");
        while (!HELP.containsKey(field) && field.contains(".")) {
            field = field.substring(0, field.lastIndexOf('.'));
        }
        return HELP.getOrDefault(field, "see docs/descriptors.md");
    }

    /** Every field path the descriptor has, e.g. {@code target.extraTags}. */
    static List<String> allPaths() {
        List<String> paths = new ArrayList<>();
        MAPPINGS.forEach((parent, keys) -> keys.forEach(key -> paths.add(join(parent, key))));
        return paths.stream().sorted().toList();
    }

    static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** "at the top level" or "under target". */
    static String where(String parent) {
        return parent.isEmpty() ? "at the top level" : "under " + parent;
    }

    /**
     * The field an unknown key most likely meant: the same key at another level (a key indented wrongly), else the
     * nearest key of the same mapping, else the nearest key anywhere; near means an edit distance of at most
     * {@value #MAX_DISTANCE} and at most half the key's length, ignoring case.
     */
    static Optional<String> suggestion(String parent, String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        Set<String> siblings = MAPPINGS.getOrDefault(parent, Set.of());
        for (String sibling : siblings) {
            if (sibling.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(join(parent, sibling));
            }
        }
        List<String> elsewhere = allPaths().stream()
                .filter(p -> last(p).equalsIgnoreCase(key) && !p.equals(join(parent, key))).toList();
        if (!elsewhere.isEmpty()) {
            // the closest level wins: a key of a sibling mapping, or one level up or down
            return elsewhere.stream().min((a, b) -> Integer.compare(levelDistance(parent, a), levelDistance(parent, b)));
        }
        Optional<String> near = nearest(lower, siblings.stream().map(s -> join(parent, s)).toList());
        return near.isPresent() ? near : nearest(lower, allPaths());
    }

    private static Optional<String> nearest(String lowerKey, List<String> paths) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String path : paths) {
            int d = distance(lowerKey, last(path).toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = path;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.min(MAX_DISTANCE, lowerKey.length() / 2) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int levelDistance(String parent, String path) {
        String other = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
        int a = parent.isEmpty() ? 0 : parent.split("\\.").length;
        int b = other.isEmpty() ? 0 : other.split("\\.").length;
        return Math.abs(a - b);
    }

    static String last(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /**
     * The optimal string alignment distance (Damerau-Levenshtein restricted to adjacent transpositions): the fewest
     * insertions, deletions, substitutions and swaps of two neighbours that turn {@code a} into {@code b}
     * ({@code notfy} → {@code notify}: 1, {@code tagPerfix} → {@code tagPrefix}: 1). Written here rather than taken
     * from Apache Commons Text, which is not on this library's class path: the library is in every service, and
     * twenty lines do not justify two more jars in each of them.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
