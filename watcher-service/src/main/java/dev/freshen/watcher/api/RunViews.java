package dev.freshen.watcher.api;

import dev.freshen.events.FailureKind;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.ImageReference;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.StageEntry;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** The JSON shapes of runs in the API (docs/api.md). Fields are only ever added, never renamed or removed. */
public final class RunViews {

    private RunViews() {
    }

    /**
     * A run in lists and in image views.
     *
     * @param detail the published version tag, or {@code <stage>: <reason>} of the failure; {@code null} in flight
     */
    @Schema(requiredProperties = {"runId", "imageId", "state"})
    public record RunSummary(String runId, String imageId, RunLedger.State state, Trigger trigger, Instant startedAt,
                             Instant endedAt, String detail, Superseded supersededBy) {

        public static RunSummary of(RunLedger.Run run) {
            return new RunSummary(run.runId(), run.imageId(), run.state(), run.trigger(), run.startedAt(), run.endedAt(),
                    run.detail(), Superseded.of(run));
        }
    }

    /**
     * A later outcome of an ended run that tells otherwise (published after it timed out, or the reverse): the run's
     * {@code state} stays its first outcome, this is shown beside it; {@code null} when there is none.
     *
     * @param detail the published version tag, or {@code <stage>: <reason>} of the failure
     */
    @Schema(requiredProperties = {"state", "at"})
    public record Superseded(RunLedger.State state, String detail, Instant at) {

        static Superseded of(RunLedger.Run run) {
            return run.supersededBy().map(e -> e.event() == StageEntry.Event.IMAGE_PUBLISHED
                    ? new Superseded(RunLedger.State.PUBLISHED, e.image().tag(), e.at())
                    : new Superseded(RunLedger.State.FAILED, e.stage().id() + ": " + e.reason(), e.at())).orElse(null);
        }
    }

    /** Runs, newest first. */
    @Schema(requiredProperties = "runs")
    public record RunList(List<RunSummary> runs) {
    }

    /** What a published run published. */
    @Schema(requiredProperties = {"image", "version", "tags", "at"})
    public record Published(ImageReference image, String version, List<String> tags, Instant at) {
    }

    /** Why a failed run failed. */
    @Schema(requiredProperties = {"stage", "kind", "reason", "at"})
    public record Failure(Stage stage, FailureKind kind, String reason, Instant at) {
    }

    /**
     * One run with every stage so far. {@code published} is set once published, {@code failure} once failed (the
     * first outcome: one per run), {@code supersededBy} when a later outcome told otherwise; {@code stages} are in
     * time order.
     */
    @Schema(requiredProperties = {"runId", "imageId", "state", "stages"})
    public record RunDetail(String runId, String imageId, RunLedger.State state, Trigger trigger, Instant startedAt,
                            Instant endedAt, Published published, Failure failure, Superseded supersededBy,
                            List<StageEntry> stages) {

        public static RunDetail of(RunLedger.Run run) {
            StageEntry outcome = run.outcome().orElse(null);
            Published published = outcome != null && outcome.event() == StageEntry.Event.IMAGE_PUBLISHED
                    ? new Published(outcome.image(), outcome.version(), outcome.tags(), outcome.at()) : null;
            Failure failure = outcome != null && outcome.event() == StageEntry.Event.PIPELINE_FAILED
                    ? new Failure(outcome.stage(), outcome.kind(), outcome.reason(), outcome.at()) : null;
            return new RunDetail(run.runId(), run.imageId(), run.state(), run.trigger(), run.startedAt(), run.endedAt(),
                    published, failure, Superseded.of(run), run.stages());
        }
    }
}
