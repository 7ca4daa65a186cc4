package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * {@code freshen check <image-id> [--wait]}: ask the watcher to check an image's bases upstream now
 * ({@code POST /api/v1/images/{id}/check}); with {@code --wait}, follow the run it started or found.
 */
@CommandLine.Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a platform image's bases upstream now (through the watcher's API, with its key). A moved "
                + "base or a changed definition starts a run, unless the image waits on an image it is built FROM "
                + "(held); with --wait follows it to its end (exit 0 published, 1 failed or timed out).",
                "Exit 1 also when the check itself fails (registry unreachable, base tag missing)."})
public class CheckCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "IMAGE-ID", description = "e.g. net10/runtime")
    String imageId;

    @CommandLine.Option(names = "--wait", description = "follow the run the check started (or found) until it ends")
    boolean wait;

    @CommandLine.Mixin
    Follow.TimeoutOption timeout;

    @CommandLine.Option(names = "--via", paramLabel = "PATH",
            description = "follow the run through kafka or api (default: api when --api or FRESHEN_API is set, else kafka)")
    Follow.Via via;

    @CommandLine.Mixin
    ApiOptions api;

    @CommandLine.Mixin
    KafkaOptions kafka;

    @CommandLine.Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ImageOption.validate(imageId, spec);
        Duration limit = wait ? timeout.value(spec.commandLine()) : null;
        PrintWriter out = spec.commandLine().getOut();
        WatcherApi watcher = api.client();
        JsonNode outcome = watcher.check(imageId);
        String result = outcome.path("result").asText();
        String runId = outcome.path("runId").isTextual() ? outcome.path("runId").asText() : null;
        if (!output.json()) {
            out.println(describe(outcome));
            out.flush();
        }
        RunView run = null;
        if (wait && runId != null) {
            RunFollower.Source source = Follow.via(via, api) == Follow.Via.api
                    ? RunSources.api(watcher, runId, Clock.systemUTC())
                    : RunSources.kafka(new EventLog(kafka.settings()), runId, imageId, false);
            run = Follow.run(source, runId, limit, out, output.json());
            if (!output.json()) {
                out.println(RunFormat.outcome(run));
            }
        }
        if (output.json()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("check", outcome);
            document.put("run", run);
            Json.print(out, document);
        }
        if ("ERROR".equals(result)) {
            return 1;
        }
        return run == null ? 0 : Follow.exitCode(run);
    }

    /**
     * A check that found a change but started nothing because an image it is built FROM must publish first:
     * "team/app: not started, waits on base/aspnet's failed run b-…; team/app is built once base/aspnet publishes: …".
     */
    private static String held(String image, JsonNode outcome, String message) {
        String on = ChainText.waitsOn(outcome.path("waitsOn"));
        if (on == null) {
            return image + ": not started, it waits on an image it is built FROM" + (message.isEmpty() ? "" : " (" + message + ")");
        }
        return image + ": not started, waits on " + on + "; " + ChainText.whatNext(image, outcome.path("waitsOn"));
    }

    /** One line about the outcome of a check (docs/api.md lists the results). */
    static String describe(JsonNode outcome) {
        String image = outcome.path("imageId").asText();
        String message = outcome.path("message").asText("");
        String runId = outcome.path("runId").asText("");
        return switch (outcome.path("result").asText()) {
            case "UP_TO_DATE" -> image + " is up to date (" + message + ")";
            case "RUN_STARTED" -> image + ": started run " + runId + " (" + message + ")";
            case "RUN_EXISTS", "SETTLING" -> image + ": " + message;
            case "NO_BASES" -> image + ": " + message;
            case "HELD" -> held(image, outcome, message);
            case "AWAITING_RELEASE" -> image + ": definition changed ("
                    + Objects.requireNonNullElse(ChainText.changedFiles(outcome.path("definition"), 5), message)
                    + "), awaiting release: its descriptor says rebuildOnChange: false; 'freshen force-update " + image
                    + "' builds and publishes it";
            case "ERROR" -> image + ": the check failed: " + message;
            default -> image + ": " + outcome.path("result").asText() + (message.isEmpty() ? "" : " (" + message + ")");
        };
    }
}
