package dev.freshen.cli;

import dev.freshen.events.FreshenEvent;
import dev.freshen.events.image.ImageReference;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code freshen runs} (recent runs), {@code freshen runs --image <id>} (the runs of an image; an id neither on the
 * topics nor watched is refused like everywhere, see {@link KnownImages}),
 * {@code freshen runs <run-id> [--follow]} (one run stage by stage, or live until it ends); read from the topics.
 */
@CommandLine.Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"Recent runs (newest first), or one run stage by stage; read from the event topics.",
                "With a RUN-ID and --follow, follows the run live until it ends (exit 0 published, 1 failed or timed out)."})
public class RunsCommand implements Callable<Integer> {

    private static final Pattern RUN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{3,63}");

    /** A run in a list: the shape of {@code GET /api/v1/runs} (docs/api.md). */
    record Summary(String runId, String imageId, String state, RunView.Trigger trigger, Instant startedAt,
                   Instant endedAt, String detail, RunView.Superseded supersededBy) {

        static Summary of(RunView run) {
            String detail = run.published() != null ? tag(run.published().image())
                    : run.failure() != null ? run.failure().stage() + ": " + run.failure().reason() : null;
            return new Summary(run.runId(), run.imageId(), run.state(), run.trigger(), run.startedAt(), run.endedAt(), detail,
                    run.supersededBy());
        }

        private static String tag(String image) {
            try {
                return ImageReference.parse(image).tag();
            } catch (IllegalArgumentException e) {
                return image;
            }
        }
    }

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "RUN-ID", description = "one run, e.g. f-3c9e1a0b7d2e4f5a6b7c8d9e")
    String runId;

    @CommandLine.Option(names = "--image", paramLabel = "IMAGE-ID", description = "list the runs of this image only")
    String imageId;

    @CommandLine.Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "list at most this many runs (default: ${DEFAULT-VALUE})")
    int limit;

    @CommandLine.Option(names = {"-f", "--follow"}, description = "with a RUN-ID: follow the run live until it ends")
    boolean follow;

    @CommandLine.Mixin
    Follow.TimeoutOption timeout;

    @CommandLine.Mixin
    KafkaOptions kafka;

    @CommandLine.Mixin
    WatcherOption api;

    @CommandLine.Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (runId != null && !RUN_ID.matcher(runId).matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "'" + runId + "' is not a run id "
                    + "(4-64 lowercase letters, digits or '-', like f-3c9e1a0b7d2e4f5a6b7c8d9e)");
        }
        if (runId != null && imageId != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give a RUN-ID or --image, not both");
        }
        if (follow && runId == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--follow needs a RUN-ID");
        }
        if (limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        ImageOption.validate(imageId, spec);
        EventLog log = new EventLog(kafka.settings());
        PrintWriter out = spec.commandLine().getOut();
        if (follow) {
            Duration limitTime = timeout.value(spec.commandLine());
            if (!output.json()) {
                out.println("following run " + runId + " (Ctrl-C stops following; the run goes on)");
                out.flush();
            }
            RunView run = Follow.run(RunSources.kafka(log, runId, null, false), runId, limitTime, out, output.json());
            if (output.json()) {
                Json.print(out, run);
            } else {
                out.println(RunFormat.outcome(run));
            }
            return Follow.exitCode(run);
        }
        List<FreshenEvent> events = log.readEvents();
        if (imageId != null) {
            KnownImages.require(imageId, events.stream().map(FreshenEvent::imageId).collect(Collectors.toSet()), api.client());
        }
        Map<String, List<FreshenEvent>> byRun = events.stream()
                .filter(e -> runId == null || e.runId().equals(runId))
                .filter(e -> imageId == null || e.imageId().equals(imageId))
                .collect(Collectors.groupingBy(FreshenEvent::runId, LinkedHashMap::new, Collectors.toList()));
        if (runId != null) {
            RunView run = RunView.of(byRun.getOrDefault(runId, List.of()));
            if (run == null) {
                throw new CliException("no run " + runId + " on the event topics (a run older than their retention is "
                        + "forgotten); 'freshen runs' lists the recent ones");
            }
            if (output.json()) {
                Json.print(out, run);
            } else {
                out.println(RunFormat.header(run));
                RunFormat.timeline(run).forEach(out::println);
                out.println(RunFormat.outcome(run));
            }
            return 0;
        }
        List<RunView> runs = byRun.values().stream().map(RunView::of)
                .sorted(Comparator.comparing(RunView::origin).reversed().thenComparing(RunView::runId))
                .limit(limit).toList();
        if (output.json()) {
            Json.print(out, Map.of("runs", runs.stream().map(Summary::of).toList()));
            return 0;
        }
        if (runs.isEmpty()) {
            out.println(imageId == null ? "no runs on the event topics" : "no runs of " + imageId + " on the event topics");
            return 0;
        }
        String format = "%-28s %-24s %-10s %-20s %-9s %-10s %s%n";
        out.printf(format, "RUN", "IMAGE", "TRIGGER", "STARTED", "TOOK", "STATE", "DETAIL");
        Instant now = Instant.now();
        for (RunView run : runs) {
            Summary summary = Summary.of(run);
            Instant end = run.endedAt() != null ? run.endedAt() : now;
            out.printf(format, run.runId(), run.imageId(), run.trigger() == null ? "-" : shortTrigger(run.trigger()),
                    RunFormat.time(run.startedAt() != null ? run.startedAt() : run.origin()),
                    RunFormat.elapsed(Duration.between(run.origin(), end)),
                    run.state().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    summary.detail() != null ? summary.detail() : RunFormat.next(run) + " running");
        }
        return 0;
    }

    private static String shortTrigger(RunView.Trigger trigger) {
        return "base-image-updated".equals(trigger.kind()) ? "base" : trigger.kind();
    }
}
