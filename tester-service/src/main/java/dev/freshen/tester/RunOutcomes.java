package dev.freshen.tester;

import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The test outcomes that exist, by run: what this instance decided, and (fed from the output topics) what any
 * instance decided before, so that a redelivered {@code ImageBuilt} is answered with the outcome already stated,
 * also after a restart, instead of being tested again. Only final outcomes count: a verified candidate, or a
 * permanent test failure; a run that failed for transient reasons may be tested again.
 */
public final class RunOutcomes {

    private final Map<String, FreshenEvent> byRun = new ConcurrentHashMap<>();

    /** Remembers {@code outcome} if it is a final test outcome; other events are ignored. */
    public void remember(FreshenEvent outcome) {
        if (outcome instanceof ImageVerified
                || outcome instanceof PipelineFailed failed && failed.stage() == Stage.TEST && failed.kind() == FailureKind.PERMANENT) {
            byRun.putIfAbsent(outcome.runId(), outcome);
        }
    }

    /** The outcome already stated for {@code built}'s run and candidate. */
    public Optional<FreshenEvent> of(ImageBuilt built) {
        FreshenEvent known = byRun.get(built.runId());
        if (known instanceof ImageVerified verified && !verified.candidate().digest().equals(built.candidate().digest())) {
            return Optional.empty();
        }
        return Optional.ofNullable(known);
    }
}
