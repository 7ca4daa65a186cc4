package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.RunIds;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code freshen force-update <image-id> [--reason TEXT] [--wait]}: rebuild an image now. Through the watcher's API
 * when the operator names it ({@code --api}, {@code FRESHEN_API}), else by publishing {@code ForceUpdateRequested} to
 * Kafka after asking the watcher whether the image exists; {@code --via} overrides. Unknown images are refused before
 * anything is published.
 */
@CommandLine.Command(name = "force-update", mixinStandardHelpOptions = true,
        description = {"Rebuild a platform image now, whatever its bases. Prints the run id; with --wait follows the "
                + "run to its end (exit 0 published, 1 failed or timed out).",
                "Goes through the watcher's API when --api or FRESHEN_API names it, else publishes to Kafka after "
                        + "asking the watcher (default " + ApiOptions.DEFAULT_API + ") that the image exists."})
public class ForceUpdateCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "IMAGE-ID", description = "e.g. net10/runtime")
    String imageId;

    @CommandLine.Option(names = "--reason", paramLabel = "TEXT", description = "why, shown in the notification")
    String reason;

    @CommandLine.Option(names = "--wait", description = "follow the run stage by stage until it is published or fails")
    boolean wait;

    @CommandLine.Mixin
    Follow.TimeoutOption timeout;

    @CommandLine.Option(names = "--via", paramLabel = "PATH",
            description = "kafka or api (default: api when --api or FRESHEN_API is set, else kafka)")
    Follow.Via via;

    @CommandLine.Option(names = "--no-verify", description = "over Kafka: publish without asking the watcher whether "
            + "the image exists (when the watcher is down)")
    boolean noVerify;

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
        String runId;
        RunFollower.Source source = null;
        if (Follow.via(via, api) == Follow.Via.api) {
            runId = watcher.forceUpdate(imageId, reason);
            if (wait) {
                source = RunSources.api(watcher, runId, Clock.systemUTC());
            }
        } else {
            List<String> dependents = noVerify ? List.of() : verify(watcher);
            EventLog log = new EventLog(kafka.settings());
            runId = RunIds.forced();
            if (wait) {
                source = RunSources.kafka(log, runId, imageId, true); // opened first: no event of the run is missed
            }
            try {
                log.publish(new ForceUpdateRequested(runId, imageId, 1, Instant.now(), reason,
                        "cli:" + System.getProperty("user.name", "unknown"), dependents));
            } catch (RuntimeException e) {
                if (source != null) {
                    source.close();
                }
                throw e;
            }
        }
        if (!wait) {
            if (output.json()) {
                Json.print(out, document(runId, null));
            } else {
                out.println(runId);
            }
            return 0;
        }
        if (!output.json()) {
            out.println("started run " + runId + " for " + imageId);
            out.flush();
        }
        RunView run = Follow.run(source, runId, limit, out, output.json());
        if (output.json()) {
            Json.print(out, document(runId, run));
        } else {
            out.println(RunFormat.outcome(run));
        }
        return Follow.exitCode(run);
    }

    /**
     * Refuses an image the watcher does not know or does not watch (invalid), before anything is published; returns
     * the watched images built FROM it, parents first (the run's {@code dependents}: a failure card names them as held
     * back, as for a run forced through the API), from the watcher's {@code chain}s; none from a watcher without them.
     */
    private List<String> verify(WatcherApi watcher) {
        try {
            JsonNode image = KnownImages.requireWatched(imageId, watcher);
            return image.path("chain").path("children").isEmpty() ? List.of()
                    : StatusTree.descendants(watcher.images().path("images"), imageId);
        } catch (WatcherApi.Unreachable e) {
            throw new CliException("cannot check that '" + imageId + "' is a watched image: the watcher at " + watcher.base()
                    + " is not reachable; nothing was published. Set --api or FRESHEN_API to the watcher's URL, "
                    + "or pass --no-verify to publish anyway");
        }
    }

    private Map<String, Object> document(String runId, RunView run) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("runId", runId);
        document.put("imageId", imageId);
        document.put("run", run);
        return document;
    }
}
