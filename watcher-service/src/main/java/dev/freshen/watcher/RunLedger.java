package dev.freshen.watcher;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every run the watcher knows of and how it ended, derived from the event topics (not from memory alone: after a
 * restart it is rebuilt by reading the topics from the beginning). A base-update run id is deterministic, so "is this
 * run id known?" is what keeps the same change from starting a second run.
 */
public final class RunLedger {

    /** How a run stands. */
    public enum State { IN_FLIGHT, PUBLISHED, FAILED }

    /** One run. {@code detail} is the published version or the failure reason. */
    public record Run(String runId, String imageId, Instant startedAt, State state, Instant endedAt, String detail) {
    }

    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private volatile boolean complete;

    /** Called once every run already on the topics has been applied. */
    public void markComplete() {
        complete = true;
    }

    /** Whether the ledger knows every run that existed when the watcher started; checks wait for this. */
    public boolean complete() {
        return complete;
    }

    /** Applies one event read from the topics; events may arrive in any order across topics. */
    public void apply(FreshenEvent event) {
        if (event instanceof BaseImageUpdated || event instanceof ForceUpdateRequested) {
            started(event.runId(), event.imageId(), event.occurredAt());
        } else if (event instanceof ImagePublished published) {
            ended(published, State.PUBLISHED, published.image().tag());
        } else if (event instanceof PipelineFailed failed) {
            ended(failed, State.FAILED, failed.stage().id() + ": " + failed.reason());
        }
        // intermediate stage events do not change whether a run is in flight
    }

    public void started(String runId, String imageId, Instant at) {
        runs.merge(runId, new Run(runId, imageId, at, State.IN_FLIGHT, null, null),
                (known, fresh) -> known.startedAt() == null ? new Run(runId, imageId, at, known.state(), known.endedAt(),
                        known.detail()) : known);
    }

    private void ended(FreshenEvent event, State state, String detail) {
        runs.merge(event.runId(), new Run(event.runId(), event.imageId(), null, state, event.occurredAt(), detail),
                (known, fresh) -> new Run(known.runId(), known.imageId(), known.startedAt(), state, event.occurredAt(), detail));
    }

    public boolean knows(String runId) {
        return runs.containsKey(runId);
    }

    public Optional<Run> run(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    /** The newest run of {@code imageId} still in flight. */
    public Optional<Run> inFlight(String imageId) {
        return runs.values().stream()
                .filter(r -> r.imageId().equals(imageId) && r.state() == State.IN_FLIGHT && r.startedAt() != null)
                .max(Comparator.comparing(Run::startedAt));
    }

    /** The newest run of {@code imageId} that ended. */
    public Optional<Run> lastEnded(String imageId) {
        return runs.values().stream()
                .filter(r -> r.imageId().equals(imageId) && r.state() != State.IN_FLIGHT)
                .max(Comparator.comparing(Run::endedAt));
    }
}
