package dev.freshen.builder;

import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The build outcomes that exist, by run: what this instance decided, and (fed from {@code freshen.image-built} and
 * {@code freshen.pipeline-failed} from the beginning) what any instance decided before, so that a redelivered build
 * request is answered with the outcome already stated, also after a restart and after the candidate was deleted from
 * staging, instead of being built again. Only final outcomes count: a built candidate ({@code ImageBuilt}), or a
 * permanent build failure; a run whose build failed for transient reasons may be built again.
 */
public final class BuildOutcomes {

    private final Map<String, FreshenEvent> byRun = new ConcurrentHashMap<>();

    /** Remembers {@code outcome} if it is a final build outcome (the first one of its run wins); others are ignored. */
    public void remember(FreshenEvent outcome) {
        if (outcome instanceof ImageBuilt
                || outcome instanceof PipelineFailed failed && failed.stage() == Stage.BUILD
                && FailureKind.PERMANENT.equals(failed.kind())) {
            byRun.putIfAbsent(outcome.runId(), outcome);
        }
    }

    /** The final build outcome already stated for {@code request}'s run; empty when there is none. */
    public Optional<FreshenEvent> of(BuildRequest request) {
        return Optional.ofNullable(byRun.get(request.runId()));
    }
}
