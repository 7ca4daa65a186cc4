package dev.freshen.cli;

import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImageIds;
import dev.freshen.events.RunIds;
import picocli.CommandLine;

import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code freshen force-update <image-id> [--reason TEXT]}: rebuild an image now, through Kafka or the watcher's API. */
@CommandLine.Command(name = "force-update", description = "Rebuild a platform image now, whatever its base. Prints the run id.")
public class ForceUpdateCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "IMAGE-ID", description = "e.g. net10/runtime")
    String imageId;

    @CommandLine.Option(names = "--reason", description = "why, shown in the notification")
    String reason;

    @CommandLine.Mixin
    Connection connection;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            ImageIds.validate(imageId);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String runId;
        if (connection.api().isPresent()) {
            runId = new WatcherApi(connection.api().get(), connection::apiKey).forceUpdate(imageId, reason);
        } else {
            runId = RunIds.forced();
            new EventLog(connection.bootstrapServers()).publish(new ForceUpdateRequested(runId, imageId, 1, Instant.now(),
                    reason, "cli:" + System.getProperty("user.name", "unknown")));
        }
        spec.commandLine().getOut().println(runId);
        return 0;
    }
}
