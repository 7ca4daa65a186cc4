package dev.freshen.messaging;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Ends a run visibly when a stage's handler fails in a way its code did not expect: a {@link PipelineFailed} of kind
 * {@link FailureKind#INTERNAL} for the run, with a user text that names the stage and the run and nothing of the
 * exception (class names and stack traces stay in the log and in the dead-letter headers). {@link Inbound} sends it
 * and then dead-letters the input record, so an operator can replay it once the cause is fixed; the first terminal
 * outcome of a run wins, a later one supersedes it (docs/reliability.md).
 *
 * <p>Only the stages that end runs use it (builder, tester, publisher): a notifier that fails cannot announce its
 * own failure.
 */
public final class InternalFailures {

    /** The problem code of a run ended by an unexpected failure of a stage. */
    public static final String INTERNAL_ERROR = "internal-error";

    private final Stage stage;
    private final Emitter<byte[]> pipelineFailed;
    private final String source;
    private final Clock clock;
    private final RunMetrics runs;

    /**
     * @param stage          the stage of the service ({@code build}, {@code test}, {@code publish})
     * @param pipelineFailed the service's emitter of {@code freshen.pipeline-failed}
     * @param source         the service's CloudEvents source, e.g. {@code /freshen/builder}
     */
    public InternalFailures(Stage stage, Emitter<byte[]> pipelineFailed, String source) {
        this(stage, pipelineFailed, source, Clock.systemUTC(), RunMetrics.global(stage));
    }

    InternalFailures(Stage stage, Emitter<byte[]> pipelineFailed, String source, Clock clock, RunMetrics runs) {
        this.stage = stage;
        this.pipelineFailed = pipelineFailed;
        this.source = source;
        this.clock = clock;
        this.runs = runs;
    }

    /** The outcome that ends {@code input}'s run after an unexpected failure of this stage. */
    public PipelineFailed outcome(FreshenEvent input) {
        return new PipelineFailed(input.runId(), input.imageId(), input.attempt(), clock.instant(), stage,
                FailureKind.INTERNAL, "internal error in the " + stage.id() + " stage; the logs of run " + input.runId()
                + " say more", null, trigger(input))
                .withProblem(INTERNAL_ERROR, "The run's input was dead-lettered: report the log lines of run "
                        + input.runId() + " to the Freshen maintainers; once a fix is deployed, 'freshen dlq replay "
                        + "--run-id " + input.runId() + "' runs it again.");
    }

    /**
     * Sends {@link #outcome} and counts the run as failed ({@link RunMetrics#ended}); completes once Kafka has it,
     * exceptionally when it could not be sent.
     */
    public CompletionStage<Void> report(FreshenEvent input) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        PipelineFailed failed = outcome(input);
        runs.ended(failed);
        pipelineFailed.send(EventMessages.create(failed, source)
                .withAck(() -> {
                    sent.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    sent.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        return sent;
    }

    /** Why the run happened, as far as the input event says. */
    static Trigger trigger(FreshenEvent input) {
        if (input instanceof BaseImageUpdated e) {
            return e.trigger();
        }
        if (input instanceof ForceUpdateRequested e) {
            return e.trigger();
        }
        if (input instanceof ImageBuilt e) {
            return e.trigger();
        }
        if (input instanceof ImageVerified e) {
            return e.trigger();
        }
        if (input instanceof dev.freshen.events.RollbackRequested e) {
            return e.trigger();
        }
        return null;
    }
}
