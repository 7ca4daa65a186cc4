package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * When one stage of a run started and finished; events carry the timings of all stages so far, in the order the
 * stages ran, and each stage copies the timings it received before adding its own. The stage may be one a newer
 * version added ({@link Stage#isOther()}); fields a newer writer added are kept in {@link #unknownFields()} (see the
 * package description).
 */
public record StageTiming(Stage stage, Instant startedAt, Instant finishedAt,
                          @JsonAnySetter Map<String, JsonNode> unknownFields) {

    public StageTiming {
        Require.present(stage, "StageTiming", "stage");
        Require.present(startedAt, "StageTiming", "startedAt");
        Require.present(finishedAt, "StageTiming", "finishedAt");
        if (finishedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("StageTiming: " + stage.id() + " finished before it started");
        }
        unknownFields = UnknownFields.copyOf(unknownFields);
    }

    /** A timing with only the fields this version knows. */
    public StageTiming(Stage stage, Instant startedAt, Instant finishedAt) {
        this(stage, startedAt, finishedAt, Map.of());
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> unknownFields() {
        return unknownFields;
    }
}
