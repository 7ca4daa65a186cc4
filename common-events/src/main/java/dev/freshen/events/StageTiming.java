package dev.freshen.events;

import java.time.Duration;
import java.time.Instant;

/** When one stage of a run started and finished; events carry the timings of all stages so far. */
public record StageTiming(Stage stage, Instant startedAt, Instant finishedAt) {

    public StageTiming {
        Require.present(stage, "StageTiming", "stage");
        Require.present(startedAt, "StageTiming", "startedAt");
        Require.present(finishedAt, "StageTiming", "finishedAt");
        if (finishedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("StageTiming: " + stage.id() + " finished before it started");
        }
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
