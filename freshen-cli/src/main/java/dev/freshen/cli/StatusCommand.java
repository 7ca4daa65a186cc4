package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code freshen status [<image-id>] [--tree]}: what each platform image is built from and how its last run went; with
 * {@code --tree}, which watched images are built FROM which ({@link StatusTree}).
 */
@CommandLine.Command(name = "status", mixinStandardHelpOptions = true,
        description = "Table of platform images: version, digest, base digest it was built from, upstream digest now, "
                + "last run; then rolled-back images, images whose checks fail, bases pinned by digest, changed "
                + "definitions, images waiting on the image they are built FROM, and invalid descriptors. With --tree: "
                + "what is built FROM what, with version and state. Read from the watcher's API (no key needed).")
public class StatusCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE-ID",
            description = "only this image (with --tree: and the images it is built FROM or that are built FROM it)")
    String imageId;

    @CommandLine.Option(names = "--tree", description = "the images as a tree of what is built FROM what, with each "
            + "image's version and state")
    boolean tree;

    @CommandLine.Mixin
    WatcherOption api;

    @CommandLine.Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ImageOption.validate(imageId, spec);
        WatcherApi watcher = api.client();
        if (imageId != null) {
            KnownImages.require(imageId, watcher);
        }
        JsonNode list = watcher.images();
        ArrayNode images = Json.MAPPER.createArrayNode();
        if (tree && imageId != null) {
            images.addAll(StatusTree.around(list.path("images"), imageId));
        } else {
            for (JsonNode image : list.path("images")) {
                if (imageId == null || imageId.equals(image.path("id").asText())) {
                    images.add(image);
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectNode document = Json.MAPPER.createObjectNode();
            document.set("images", images);
            document.set("invalidDescriptors", list.path("invalidDescriptors").isArray()
                    ? list.path("invalidDescriptors") : Json.MAPPER.createArrayNode());
            Json.print(out, document);
            return 0;
        }
        if (tree) {
            StatusTree.print(out, images, runId -> stage(watcher, runId));
            return 0;
        }
        table(out, images, imageId == null ? list.path("invalidDescriptors") : Json.MAPPER.createArrayNode());
        return 0;
    }

    /** The stage a run in flight is in ({@code GET /api/v1/runs/{id}}); {@code null} when ended or not known. */
    private static String stage(WatcherApi watcher, String runId) {
        return watcher.run(runId).map(RunView::of).filter(run -> !run.ended() && !run.stages().isEmpty())
                .map(RunFormat::next).orElse(null);
    }

    /**
     * The table of {@code images}, then, for each image that is rolled back ({@code rolledBack}), "rolled back to
     * &lt;version&gt; by &lt;who&gt;: &lt;why&gt;"; for each image built for several platforms, a line per platform
     * ({@link #platforms}); for each image whose checks fail ({@code checkHealth}), since when,
     * how many and why; for each image whose Dockerfile pins a base by digest alone
     * ({@code pinnedBases}: pinned, not watched), those bases; for each image whose definition changed, the files
     * ({@link #definition}); for each image that waits on an image it is built FROM, on what ({@link #chain}); then,
     * for each image whose descriptor is invalid (state {@code invalid}: listed with its last published version, not
     * checked), its problems with where, what and what to do; then the {@code invalidDescriptors} that belong to no
     * listed image (a folder whose name is no image id).
     */
    static void table(PrintWriter out, Iterable<JsonNode> images, JsonNode invalidDescriptors) {
        String format = "%-24s %-16s %-20s %-20s %-20s %s%n";
        out.printf(format, "IMAGE", "VERSION", "DIGEST", "BUILT FROM", "UPSTREAM NOW", "LAST RUN");
        java.util.Set<String> files = new java.util.HashSet<>();
        java.util.List<JsonNode> invalid = new java.util.ArrayList<>();
        for (JsonNode image : images) {
            files.add(image.path("id").asText() + "/platform-image.yaml");
            JsonNode check = image.path("lastCheck");
            JsonNode builtFrom = check.path("builtFrom");
            JsonNode published = image.path("lastPublished");
            String upstream = check.path("upstreamDigests").elements().hasNext()
                    ? RunFormat.shortDigest(check.path("upstreamDigests").elements().next().asText()) : "-";
            String base = builtFrom.path("bases").elements().hasNext()
                    ? RunFormat.shortDigest(builtFrom.path("bases").elements().next().asText()) : "-";
            String version = builtFrom.path("versionTag").asText(published.path("versionTag").asText("-"));
            String digest = builtFrom.path("digest").asText(digestOf(published.path("image").asText("-")));
            boolean notWatched = "invalid".equals(image.path("state").asText());
            if (notWatched) {
                invalid.add(image);
            }
            out.printf(format, image.path("id").asText(), version, RunFormat.shortDigest(digest), base, upstream,
                    notWatched ? "NOT WATCHED: invalid descriptor" : lastRun(image));
        }
        for (JsonNode image : images) {
            JsonNode rolledBack = image.path("rolledBack");
            if (rolledBack.isObject()) {
                out.printf("%n%s: %s%n", image.path("id").asText(), rolledBack.path("summary").asText());
                out.println("    → " + String.join(", ", Json.MAPPER.convertValue(rolledBack.path("tags"), String[].class))
                        + " name " + rolledBack.path("image").asText() + " since " + rolledBack.path("at").asText()
                        + "; the next publish moves them forward again (the VERSION column is the newest version).");
            }
        }
        for (JsonNode image : images) {
            platforms(out, image);
        }
        for (JsonNode image : images) {
            checkHealth(out, image.path("id").asText(), image.path("checkHealth"));
        }
        for (JsonNode image : images) {
            JsonNode pinned = image.path("pinnedBases");
            if (pinned.isArray() && !pinned.isEmpty()) {
                out.printf("%n%s builds on %s pinned by digest in its Dockerfile (pinned, not watched: Freshen never "
                        + "updates %s):%n", image.path("id").asText(), pinned.size() == 1 ? "a base" : pinned.size() + " bases",
                        pinned.size() == 1 ? "it" : "them");
                for (JsonNode base : pinned) {
                    out.println("  " + base.asText());
                }
                out.println("    → To have Freshen follow a base, write its tag too (name:tag@sha256:…): the tag is "
                        + "watched and the digest pinned again on every run.");
            }
        }
        for (JsonNode image : images) {
            definition(out, image);
        }
        for (JsonNode image : images) {
            chain(out, image);
        }
        for (JsonNode image : invalid) {
            int count = image.path("problems").size();
            out.printf("%n%s is not watched: its descriptor has %s (not checked, not built until fixed):%n",
                    image.path("id").asText(), count == 1 ? "a problem" : count + " problems");
            for (JsonNode problem : image.path("problems")) {
                String where = problem.path("file").asText("");
                if (problem.hasNonNull("line")) {
                    where += " line " + problem.path("line").asInt()
                            + (problem.hasNonNull("column") ? ", column " + problem.path("column").asInt() : "");
                }
                out.println("  " + (where.isBlank() ? "" : where + ": ") + problem.path("message").asText());
                if (problem.hasNonNull("hint")) {
                    out.println("    → " + problem.path("hint").asText());
                }
            }
        }
        for (JsonNode descriptor : invalidDescriptors) {
            if (!files.contains(descriptor.path("file").asText())) {
                out.println("invalid: " + descriptor.path("message").asText());
            }
        }
    }

    /**
     * For an image built for several platforms ({@code lastCheck.platforms}): a line per platform with what its
     * published image was built from and where the base is upstream now (the first base, as in the table, whose
     * columns are the first platform's), and whether it is current, moved or not published; nothing for an image of one
     * platform, or from a watcher that does not check per platform.
     */
    static void platforms(PrintWriter out, JsonNode image) {
        JsonNode check = image.path("lastCheck");
        JsonNode platforms = check.path("platforms");
        if (!platforms.isArray() || platforms.isEmpty()) {
            return;
        }
        java.util.Map<String, JsonNode> built = new java.util.HashMap<>();
        for (JsonNode build : check.path("builtFrom").path("platforms")) {
            built.put(build.path("platform").asText(), build);
        }
        out.printf("%n%s is built for %d platforms (the table shows %s):%n", image.path("id").asText(), platforms.size(),
                platforms.get(0).path("platform").asText());
        String format = "  %-14s built from %-20s upstream now %-20s %s%n";
        for (int i = 0; i < platforms.size(); i++) {
            JsonNode platform = platforms.get(i);
            String name = platform.path("platform").asText();
            JsonNode build = built.get(name);
            JsonNode bases = build != null ? build.path("bases") : i == 0 ? check.path("builtFrom").path("bases") : null;
            String from = bases != null && bases.elements().hasNext()
                    ? RunFormat.shortDigest(bases.elements().next().asText()) : "-";
            String upstream = platform.path("upstreamDigests").elements().hasNext()
                    ? RunFormat.shortDigest(platform.path("upstreamDigests").elements().next().asText()) : "-";
            out.printf(format, name, from, upstream, platform.path("state").asText("").replace('-', ' '));
        }
    }

    /**
     * For an image whose checks fail ({@code checkHealth.state} {@code failing}: announced; {@code failed}: fewer in a
     * row than the threshold), since when, how many, the problem code and the reason, and what happens next; nothing
     * when they pass.
     */
    static void checkHealth(PrintWriter out, String id, JsonNode health) {
        String state = health.path("state").asText("ok");
        if (state.equals("ok") || !health.isObject()) {
            return;
        }
        int failures = health.path("consecutiveFailures").asInt();
        int threshold = health.path("threshold").asInt();
        String failed = failures + (failures == 1 ? " failed check" : " failed checks") + " in a row since "
                + health.path("failingSince").asText("?") + " (" + health.path("code").asText("check-failed") + ")";
        if (state.equals("failing")) {
            out.printf("%n%s: checks failing: %s: %s%n", id, failed, health.path("reason").asText(""));
            out.println("    → Announced as failing: upstream changes are not seen while checks fail; 'freshen check " + id
                    + "' checks again now, and the first check that passes is announced too.");
        } else {
            out.printf("%n%s: last check failed: %s: %s%n", id, failed, health.path("reason").asText(""));
            out.println("    → Announced as failing after " + threshold + " in a row, unless a check passes first.");
        }
    }

    /**
     * For an image whose last check found its definition (Dockerfile, build context, build settings) other than the
     * published image's ({@code lastCheck.definition.state} {@code changed}): which files, and what happens: the run
     * that builds it, or, with {@code rebuildOnChange: false} ({@code AWAITING_RELEASE}), how to release it. Nothing
     * for a definition that is the same or unknown, or from a watcher that does not compare definitions.
     */
    static void definition(PrintWriter out, JsonNode image) {
        JsonNode check = image.path("lastCheck");
        String files = ChainText.changedFiles(check.path("definition"), 5);
        if (files == null) {
            return;
        }
        String id = image.path("id").asText();
        out.printf("%n%s: definition changed since the published image: %s%n", id, files);
        switch (check.path("result").asText("")) {
            case "AWAITING_RELEASE" -> out.println("    → Awaiting release: its descriptor says rebuildOnChange: false; "
                    + "'freshen force-update " + id + "' builds and publishes it.");
            case "RUN_STARTED", "RUN_EXISTS" -> out.println("    → Run " + check.path("runId").asText() + " builds it.");
            default -> {
            }
        }
    }

    /**
     * For an image that waits on a platform image it is built FROM ({@code chain.waitsOn}, or the {@code waitsOn} of a
     * held check): on what, and what happens next. Nothing when it waits on nothing, or from a watcher without chains.
     */
    static void chain(PrintWriter out, JsonNode image) {
        JsonNode waitsOn = StatusTree.waitsOn(image);
        String on = ChainText.waitsOn(waitsOn);
        if (on == null || image.path("inFlightRun").isObject()) {
            return;
        }
        String id = image.path("id").asText();
        out.printf("%n%s waits on %s.%n", id, on);
        out.println("    → " + ChainText.whatNext(id, waitsOn));
    }

    /** {@code sha256:…} of {@code repo:tag@sha256:…}, or the text as it is. */
    private static String digestOf(String image) {
        int at = image.indexOf('@');
        return at < 0 ? image : image.substring(at + 1);
    }

    private static String lastRun(JsonNode image) {
        JsonNode inFlight = image.path("inFlightRun");
        if (!inFlight.isMissingNode() && !inFlight.isNull()) {
            return inFlight.path("runId").asText() + " in flight";
        }
        JsonNode last = image.path("lastRun");
        if (last.isMissingNode() || last.isNull()) {
            return "-";
        }
        return last.path("runId").asText() + " " + last.path("state").asText().toLowerCase(java.util.Locale.ROOT) + " "
                + last.path("detail").asText("");
    }
}
