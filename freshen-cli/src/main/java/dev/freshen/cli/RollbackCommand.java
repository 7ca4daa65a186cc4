package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code freshen rollback <image-id> [--to <version>] [--reason TEXT]}: move the image's moving tags ({@code latest},
 * {@code 10.0}, …) back to an earlier published version, without rebuilding. Through the watcher's API (it checks the
 * request and resolves the version; the publisher moves the tags and announces it); {@code freshen status} shows
 * "rolled back to …" once the tags moved.
 */
@CommandLine.Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Move a platform image's moving tags (latest, 10.0, …) back to an earlier published version, "
                + "without rebuilding: by default the version before the one they name now. Prints the rollback id and "
                + "the versions; the publisher moves the tags and announces it on the image's channels.",
                "The next publish moves the tags forward again. Goes through the watcher's API (--api or FRESHEN_API, "
                        + "default " + ApiOptions.DEFAULT_API + ") with its API key."})
public class RollbackCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "IMAGE-ID", description = "e.g. net10/runtime")
    String imageId;

    @CommandLine.Option(names = "--to", paramLabel = "VERSION",
            description = "the published version to go back to: a version tag (10.0-noble-1.4.0) or its number (1.4.0); "
                    + "default the version before the one the moving tags name")
    String to;

    @CommandLine.Option(names = "--reason", paramLabel = "TEXT", description = "why, shown in the card and in status")
    String reason;

    @CommandLine.Mixin
    ApiOptions api;

    @CommandLine.Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ImageOption.validate(imageId, spec);
        WatcherApi watcher = api.client();
        KnownImages.requireWatched(imageId, watcher);
        JsonNode accepted = watcher.rollback(imageId, to, reason);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Json.print(out, accepted);
            return 0;
        }
        String from = accepted.path("fromVersion").asText("");
        out.println("rollback " + accepted.path("rollbackId").asText() + " of " + imageId + ": moving tags "
                + (from.isEmpty() ? "" : "from " + from + " ") + "to " + accepted.path("toVersion").asText()
                + " asked of the publisher; 'freshen status " + imageId + "' shows it once they moved");
        return 0;
    }
}
