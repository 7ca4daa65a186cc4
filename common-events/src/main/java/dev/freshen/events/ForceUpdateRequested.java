package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * An operator (REST API or CLI) asked for a rebuild regardless of upstream changes. {@code dependents}: the watched
 * images built FROM this one, parents first (what a failure of the run holds back); empty when none or written
 * before the field existed.
 */
public record ForceUpdateRequested(String runId, String imageId, int attempt, Instant occurredAt,
                                   String reason, String requestedBy,
                                   @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> dependents) implements FreshenEvent {

    public ForceUpdateRequested {
        Require.envelope("ForceUpdateRequested", runId, imageId, attempt, occurredAt);
        dependents = dependents == null ? List.of() : List.copyOf(dependents);
    }

    /** A request without dependents. */
    public ForceUpdateRequested(String runId, String imageId, int attempt, Instant occurredAt, String reason,
                                String requestedBy) {
        this(runId, imageId, attempt, occurredAt, reason, requestedBy, null);
    }

    /** The run's trigger: {@link Trigger#forced}, naming the dependents. */
    public Trigger trigger() {
        return Trigger.forced(reason, requestedBy).withDependents(dependents);
    }
}
