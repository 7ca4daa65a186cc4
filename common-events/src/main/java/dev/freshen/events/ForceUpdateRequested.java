package dev.freshen.events;

import java.time.Instant;

/** An operator (REST API or CLI) asked for a rebuild regardless of upstream changes. */
public record ForceUpdateRequested(String runId, String imageId, int attempt, Instant occurredAt,
                                   String reason, String requestedBy) implements FreshenEvent {

    public ForceUpdateRequested {
        Require.envelope("ForceUpdateRequested", runId, imageId, attempt, occurredAt);
    }

    public Trigger trigger() {
        return Trigger.forced(reason, requestedBy);
    }
}
