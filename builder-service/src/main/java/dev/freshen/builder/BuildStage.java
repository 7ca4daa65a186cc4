package dev.freshen.builder;

import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;

import java.time.Clock;

/**
 * Turns a build request into the builder's outcome event: {@code ImageBuilt} or {@code PipelineFailed}.
 *
 * <p>Skeleton (foundation issue): building is not implemented yet, so every request ends its run with a permanent
 * {@code PipelineFailed} that says so, rather than claiming an image that was never built.
 */
public class BuildStage {

    private final Clock clock;

    public BuildStage(Clock clock) {
        this.clock = clock;
    }

    public FreshenEvent build(BuildRequest request) {
        return new PipelineFailed(request.runId(), request.imageId(), 1, clock.instant(), Stage.BUILD,
                FailureKind.PERMANENT, "building platform images is not implemented yet (skeleton builder)", null,
                request.trigger());
    }
}
