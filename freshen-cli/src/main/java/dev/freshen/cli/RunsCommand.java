package dev.freshen.cli;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code freshen runs <runId>} / {@code freshen runs --image <id>}: a run's timeline, read from the event topics. */
@CommandLine.Command(name = "runs", description = "The timeline of a run, stage by stage, or the runs of an image.")
public class RunsCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "RUN-ID")
    String runId;

    @CommandLine.Option(names = "--image", description = "list the runs of this image")
    String imageId;

    @CommandLine.Mixin
    Connection connection;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if ((runId == null) == (imageId == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give a RUN-ID or --image, not both");
        }
        List<FreshenEvent> events = new EventLog(connection.bootstrapServers()).readAll().stream()
                .filter(e -> runId != null ? e.runId().equals(runId) : e.imageId().equals(imageId))
                .sorted(Comparator.comparing(FreshenEvent::occurredAt)).toList();
        if (events.isEmpty()) {
            throw new CliException(runId != null ? "no run " + runId + " on the event topics" : "no runs of " + imageId);
        }
        PrintWriter out = spec.commandLine().getOut();
        Instant previous = null;
        for (FreshenEvent event : events) {
            String delta = previous == null ? "" : "+" + Duration.between(previous, event.occurredAt()).toMillis() + " ms";
            out.printf("%s  %-10s %-22s %-24s %s%n", event.occurredAt(), delta, event.type().name(),
                    imageId != null ? event.runId() : event.imageId(), describe(event));
            previous = event.occurredAt();
        }
        return 0;
    }

    static String describe(FreshenEvent event) {
        if (event instanceof BaseImageUpdated e) {
            return e.baseImages().stream().map(b -> b.reference() + " -> " + b.digest().shortHex()).toList().toString();
        } else if (event instanceof ForceUpdateRequested e) {
            return "forced" + (e.reason() == null ? "" : ": " + e.reason());
        } else if (event instanceof ImageBuilt e) {
            return "candidate " + e.candidate() + (e.warnings().isEmpty() ? "" : ", " + e.warnings().size() + " warning(s)");
        } else if (event instanceof ImageVerified e) {
            return e.checks().size() + " check(s) passed";
        } else if (event instanceof ImagePublished e) {
            return e.image() + " tags " + e.tags();
        } else if (event instanceof PipelineFailed e) {
            return e.stage().id() + " " + e.kind().id() + ": " + e.reason();
        }
        return "";
    }
}
