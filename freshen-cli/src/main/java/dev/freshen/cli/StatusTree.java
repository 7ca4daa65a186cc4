package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code freshen status --tree}: the watched images as the tree of what is built FROM what, from each image's
 * {@code chain.parents} (docs/api.md): roots (images built on no watched image) by id, each child under its parent,
 * indented with {@code ├─}/{@code └─}; an image with a second parent is shown in full under the first and once more
 * under the other as "(also FROM base/x, see above)". Columns: id, version, and what the image is doing in words.
 * A watcher without chains (older) sends no {@code chain}: every image is then a root.
 */
final class StatusTree {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Map<String, JsonNode> images = new TreeMap<>();
    private final Function<String, String> stageOf;
    private final Set<String> shown = new HashSet<>();
    private final List<String[]> rows = new ArrayList<>();
    /** The listed images each image is built FROM, and those built FROM it (by id). */
    private final Map<String, List<String>> parents = new TreeMap<>();
    private final Map<String, List<String>> children = new TreeMap<>();

    private StatusTree(Iterable<JsonNode> list, Function<String, String> stageOf) {
        list.forEach(image -> images.put(image.path("id").asText(), image));
        this.stageOf = stageOf;
        images.forEach((id, image) -> {
            List<String> of = new ArrayList<>();
            image.path("chain").path("parents").forEach(p -> {
                if (images.containsKey(p.asText()) && !p.asText().equals(id) && !of.contains(p.asText())) {
                    of.add(p.asText());
                    children.computeIfAbsent(p.asText(), x -> new ArrayList<>()).add(id);
                }
            });
            parents.put(id, of);
        });
    }

    /**
     * Prints the tree of {@code list} (the images of {@code GET /api/v1/images}); {@code stageOf} gives the stage an
     * in-flight run is in ({@code build}, {@code test}, {@code publish}) by run id, or {@code null} when not known.
     * Says so under the tree when the watcher sent no chains.
     */
    static void print(PrintWriter out, Iterable<JsonNode> list, Function<String, String> stageOf) {
        StatusTree tree = new StatusTree(list, stageOf);
        tree.build();
        int width = Math.max(24, tree.rows.stream().mapToInt(row -> row[0].length()).max().orElse(0));
        int versionWidth = Math.max(16, tree.rows.stream().mapToInt(row -> row[1].length()).max().orElse(0));
        String format = "%-" + width + "s %-" + versionWidth + "s %s%n";
        out.printf(format, "IMAGE", "VERSION", "STATE");
        tree.rows.forEach(row -> out.printf(format, row[0], row[1], row[2]));
        if (!tree.images.isEmpty() && tree.images.values().stream().noneMatch(image -> image.path("chain").isObject())) {
            out.println();
            out.println("The watcher reports no chains (a version before chains of platform images): every image is "
                    + "shown as a root.");
        }
    }

    /**
     * {@code list} narrowed to {@code imageId}, the images it is built FROM (directly or not) and those built FROM it:
     * the part of the tree that concerns it.
     */
    static List<JsonNode> around(Iterable<JsonNode> list, String imageId) {
        Map<String, JsonNode> byId = new TreeMap<>();
        list.forEach(image -> byId.put(image.path("id").asText(), image));
        Set<String> keep = new LinkedHashSet<>();
        walk(byId, imageId, "parents", keep);
        walk(byId, imageId, "children", keep);
        return byId.values().stream().filter(image -> keep.contains(image.path("id").asText())).toList();
    }

    /**
     * The images of {@code list} built FROM {@code imageId}, directly or not ({@code chain.children}), parents first
     * (an image after every one of its parents that is among them; ties by id): a forced run's {@code dependents}.
     */
    static List<String> descendants(Iterable<JsonNode> list, String imageId) {
        Map<String, JsonNode> byId = new TreeMap<>();
        list.forEach(image -> byId.put(image.path("id").asText(), image));
        Set<String> below = new LinkedHashSet<>();
        walk(byId, imageId, "children", below);
        below.remove(imageId);
        List<String> ordered = new ArrayList<>();
        Set<String> left = new TreeSet<>(below);
        while (!left.isEmpty()) {
            String next = left.stream().filter(id -> {
                List<String> waitingOn = new ArrayList<>();
                byId.get(id).path("chain").path("parents").forEach(p -> waitingOn.add(p.asText()));
                return waitingOn.stream().noneMatch(left::contains);
            }).findFirst().orElse(left.iterator().next());
            ordered.add(next);
            left.remove(next);
        }
        return ordered;
    }

    private static void walk(Map<String, JsonNode> byId, String from, String direction, Set<String> keep) {
        Deque<String> next = new ArrayDeque<>(List.of(from));
        Set<String> seen = new HashSet<>();
        while (!next.isEmpty()) {
            String id = next.pop();
            if (seen.add(id) && byId.containsKey(id)) {
                keep.add(id);
                byId.get(id).path("chain").path(direction).forEach(other -> next.push(other.asText()));
            }
        }
    }

    private void build() {
        for (String id : images.keySet()) {
            if (parents.get(id).isEmpty()) {
                add(id, "", "", null);
            }
        }
        for (String id : images.keySet()) {
            if (!shown.contains(id)) {
                add(id, "", "", null);
            }
        }
    }

    /** The row of {@code id} under {@code parent} ({@code null}: a root), then its children, unless shown above. */
    private void add(String id, String indent, String glyph, String parent) {
        if (!shown.add(id)) {
            rows.add(new String[]{indent + glyph + id, "", "(also FROM " + parent + ", see above)"});
            return;
        }
        JsonNode image = images.get(id);
        rows.add(new String[]{indent + glyph + id, version(image), state(image, stageOf)});
        List<String> children = this.children.getOrDefault(id, List.of());
        String childIndent = parent == null ? "" : indent + (glyph.startsWith("└") ? "   " : "│  ");
        for (int i = 0; i < children.size(); i++) {
            add(children.get(i), childIndent, i == children.size() - 1 ? "└─ " : "├─ ", id);
        }
    }

    /** The version the image was last built or published as; "-" when none is known. */
    static String version(JsonNode image) {
        return image.path("lastCheck").path("builtFrom").path("versionTag")
                .asText(image.path("lastPublished").path("versionTag").asText("-"));
    }

    /**
     * What the image is doing, in words: "not watched: invalid descriptor", "run b-… in flight (test)", "waits on
     * base/aspnet's failed run b-…", "definition changed, awaiting release", "base moved, the run starts at …",
     * "check failed (registry-unreachable)", "run b-… failed at test", "published", "not published yet".
     */
    static String state(JsonNode image, Function<String, String> stageOf) {
        if ("invalid".equals(image.path("state").asText())) {
            return "not watched: invalid descriptor";
        }
        JsonNode inFlight = image.path("inFlightRun");
        if (inFlight.isObject()) {
            String runId = inFlight.path("runId").asText();
            String stage = stageOf.apply(runId);
            return "run " + runId + " in flight" + (stage == null ? "" : " (" + stage + ")");
        }
        JsonNode check = image.path("lastCheck");
        String waitsOn = ChainText.waitsOn(waitsOn(image));
        if (waitsOn != null) {
            return "waits on " + waitsOn;
        }
        switch (check.path("result").asText("")) {
            case "AWAITING_RELEASE" -> {
                return "definition changed, awaiting release";
            }
            case "SETTLING" -> {
                return "base moved, the run starts at " + time(check.path("settlesAt").asText(null));
            }
            case "ERROR" -> {
                return "check failed (" + check.path("code").asText("check-failed") + ")";
            }
            default -> {
            }
        }
        JsonNode last = image.path("lastRun");
        if ("FAILED".equals(last.path("state").asText())) {
            String detail = last.path("detail").asText("");
            int colon = detail.indexOf(':');
            return "run " + last.path("runId").asText() + " failed" + (colon > 0 ? " at " + detail.substring(0, colon) : "");
        }
        return "PUBLISHED".equals(last.path("state").asText()) || image.path("lastPublished").isObject()
                || check.path("builtFrom").isObject() ? "published" : "not published yet";
    }

    /** The image's {@code chain.waitsOn}, else that of its last check when the check was held; else missing. */
    static JsonNode waitsOn(JsonNode image) {
        JsonNode chain = image.path("chain").path("waitsOn");
        if (chain.isObject()) {
            return chain;
        }
        JsonNode check = image.path("lastCheck");
        return "HELD".equals(check.path("result").asText()) ? check.path("waitsOn") : chain;
    }

    /** {@code 2026-12-01 10:05:00 UTC}, or the text as it came when it is no instant. */
    private static String time(String instant) {
        if (instant == null) {
            return "the end of its settle window";
        }
        try {
            return TIME.format(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }
}
