package dev.freshen.tester;

import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;

import java.time.Clock;

/**
 * Turns a {@code ImageBuilt} into the tester's outcome event: {@code ImageVerified} or {@code PipelineFailed}.
 *
 * <p>Skeleton (foundation issue): verifying candidates is not implemented yet, so every run ends here with a permanent
 * {@code PipelineFailed} that says so, rather than claiming work that was not done.
 */
public class VerificationStage {

    private final Clock clock;

    public VerificationStage(Clock clock) {
        this.clock = clock;
    }

    public FreshenEvent verify(ImageBuilt event) {
        return new PipelineFailed(event.runId(), event.imageId(), 1, clock.instant(), Stage.TEST,
                FailureKind.PERMANENT, "verifying candidates is not implemented yet (skeleton tester)", null, event.trigger());
    }
}
