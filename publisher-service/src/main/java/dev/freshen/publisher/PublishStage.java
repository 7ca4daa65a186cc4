package dev.freshen.publisher;

import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;

import java.time.Clock;

/**
 * Turns a {@code ImageVerified} into the publisher's outcome event: {@code ImagePublished} or {@code PipelineFailed}.
 *
 * <p>Skeleton (foundation issue): publishing verified images is not implemented yet, so every run ends here with a permanent
 * {@code PipelineFailed} that says so, rather than claiming work that was not done.
 */
public class PublishStage {

    private final Clock clock;

    public PublishStage(Clock clock) {
        this.clock = clock;
    }

    public FreshenEvent publish(ImageVerified event) {
        return new PipelineFailed(event.runId(), event.imageId(), 1, clock.instant(), Stage.PUBLISH,
                FailureKind.PERMANENT, "publishing verified images is not implemented yet (skeleton publisher)", null, event.trigger());
    }
}
