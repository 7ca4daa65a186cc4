package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code freshen status [<image-id>]}: what each platform image is built from and how its last run went. */
@CommandLine.Command(name = "status", mixinStandardHelpOptions = true,
        description = "Table of platform images: version, digest, base digest it was built from, upstream digest now, "
                + "last run. Read from the watcher's API (no key needed).")
public class StatusCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE-ID", description = "only this image")
    String imageId;

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
        for (JsonNode image : list.path("images")) {
            if (imageId == null || imageId.equals(image.path("id").asText())) {
                images.add(image);
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
        String format = "%-24s %-16s %-20s %-20s %-20s %s%n";
        out.printf(format, "IMAGE", "VERSION", "DIGEST", "BUILT FROM", "UPSTREAM NOW", "LAST RUN");
        for (JsonNode image : images) {
            JsonNode check = image.path("lastCheck");
            JsonNode builtFrom = check.path("builtFrom");
            String upstream = check.path("upstreamDigests").elements().hasNext()
                    ? RunFormat.shortDigest(check.path("upstreamDigests").elements().next().asText()) : "-";
            String base = builtFrom.path("bases").elements().hasNext()
                    ? RunFormat.shortDigest(builtFrom.path("bases").elements().next().asText()) : "-";
            out.printf(format, image.path("id").asText(), builtFrom.path("versionTag").asText("-"),
                    RunFormat.shortDigest(builtFrom.path("digest").asText("-")), base, upstream, lastRun(image));
        }
        if (imageId == null) {
            for (JsonNode invalid : list.path("invalidDescriptors")) {
                out.println("invalid: " + invalid.path("message").asText());
            }
        }
        return 0;
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
