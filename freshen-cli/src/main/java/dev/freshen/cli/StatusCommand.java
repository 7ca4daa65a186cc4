package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code freshen status [<image-id>]}: what each platform image is built from and how its last run went. */
@CommandLine.Command(name = "status", description = "Table of platform images: version, digest, base digests, last run.")
public class StatusCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE-ID")
    String imageId;

    @CommandLine.Mixin
    Connection connection;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String api = connection.api().orElseThrow(() -> new CliException("status reads the watcher's API: set --api or FRESHEN_API"));
        JsonNode list = new WatcherApi(api, connection::apiKey).images();
        PrintWriter out = spec.commandLine().getOut();
        String format = "%-24s %-16s %-14s %-14s %-14s %s%n";
        out.printf(format, "IMAGE", "VERSION", "DIGEST", "BUILT FROM", "UPSTREAM NOW", "LAST RUN");
        boolean found = false;
        for (JsonNode image : list.path("images")) {
            if (imageId != null && !imageId.equals(image.path("id").asText())) {
                continue;
            }
            found = true;
            JsonNode check = image.path("lastCheck");
            JsonNode builtFrom = check.path("builtFrom");
            String upstream = check.path("upstreamDigests").elements().hasNext()
                    ? shortDigest(check.path("upstreamDigests").elements().next().asText()) : "-";
            String base = builtFrom.path("bases").elements().hasNext()
                    ? shortDigest(builtFrom.path("bases").elements().next().asText()) : "-";
            out.printf(format, image.path("id").asText(), builtFrom.path("versionTag").asText("-"),
                    shortDigest(builtFrom.path("digest").asText("-")), base, upstream, lastRun(image));
        }
        for (JsonNode invalid : list.path("invalidDescriptors")) {
            out.println("invalid: " + invalid.path("message").asText());
        }
        if (imageId != null && !found) {
            throw new CliException("unknown platform image '" + imageId + "'");
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
        return last.path("runId").asText() + " " + last.path("state").asText().toLowerCase() + " " + last.path("detail").asText("");
    }

    private static String shortDigest(String digest) {
        return digest.startsWith("sha256:") ? digest.substring(0, 19) : digest;
    }
}
