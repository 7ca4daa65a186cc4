package dev.freshen.watcher;

import dev.freshen.events.Durations;
import dev.freshen.events.FailureKind;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ends runs that nobody answers: a run in flight whose awaited stage ({@link RunLedger.Run#awaiting()}) has not
 * answered within its budget ends with a {@link PipelineFailed} of kind {@link FailureKind#TIMED_OUT}, naming the
 * stage it waited for. The budget of a stage counts from the run's newest event, so it includes the time the run waits
 * in the stage's queue behind other images' work; the defaults are generous for that reason. Nothing is kept besides
 * the {@link RunLedger}, which is rebuilt from the topics: a watcher restart neither resets nor forgets a budget.
 *
 * <p>Pure logic: {@link #expired} says which runs end now; the watcher emits them and applies them to its ledger.
 */
public final class RunTimeouts {

    /** The problem code of a run ended for want of an answer. */
    public static final String STAGE_TIMED_OUT = "stage-timed-out";

    private final Map<Stage, Duration> budgets;

    /** @param budgets the time each stage may take to answer (build, test, publish); a stage not named never times out */
    public RunTimeouts(Map<Stage, Duration> budgets) {
        this.budgets = Map.copyOf(budgets);
    }

    /** The outcomes that end, at {@code now}, every run of {@code inFlight} whose awaited stage took too long. */
    public List<PipelineFailed> expired(List<RunLedger.Run> inFlight, Instant now) {
        return inFlight.stream()
                .flatMap(run -> run.awaiting().flatMap(awaiting -> expired(run, awaiting, now)).stream())
                .toList();
    }

    private static String service(Stage stage) {
        return switch (stage.id()) {
            case "build" -> "builder";
            case "test" -> "tester";
            case "publish" -> "publisher";
            default -> stage.id() + " service";
        };
    }

    private Optional<PipelineFailed> expired(RunLedger.Run run, RunLedger.Awaiting awaiting, Instant now) {
        Duration budget = budgets.get(awaiting.stage());
        if (budget == null || !now.isAfter(awaiting.since().plus(budget))) {
            return Optional.empty();
        }
        String stage = awaiting.stage().id();
        Trigger trigger = run.trigger();
        return Optional.of(new PipelineFailed(run.runId(), run.imageId(), 1, now, awaiting.stage(), FailureKind.TIMED_OUT,
                "no answer from the " + stage + " stage within " + Durations.human(budget) + " (freshen.watcher.run-timeout."
                        + stage + ")", null, trigger)
                .withProblem(STAGE_TIMED_OUT, "Check that the " + service(awaiting.stage()) + " is running and "
                        + "consuming (its /q/health/ready says why it pauses); if it answers later, its outcome "
                        + "supersedes this one."));
    }
}
