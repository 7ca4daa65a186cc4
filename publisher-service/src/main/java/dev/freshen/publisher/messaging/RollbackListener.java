package dev.freshen.publisher.messaging;

import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.RollbackRequested;
import dev.freshen.events.Stage;
import dev.freshen.events.Topics;
import dev.freshen.messaging.EventMessages;
import dev.freshen.messaging.Inbound;
import dev.freshen.messaging.InternalFailures;
import dev.freshen.messaging.RunMetrics;
import dev.freshen.publisher.RollbackStage;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Takes rollback requests off Kafka, hands them to the {@link RollbackStage}, and emits its outcome
 * ({@code ImageRolledBack} or {@code PipelineFailed}); one at a time, in order, on a worker thread.
 */
@ApplicationScoped
public class RollbackListener {

    private static final Logger LOG = Logger.getLogger(RollbackListener.class);

    private final RollbackStage stage;
    private final Emitter<byte[]> rolledBack;
    private final Emitter<byte[]> pipelineFailed;
    private final InternalFailures internalFailures;
    /** Counts a rollback's end (rolled-back or failed); a rollback is not a stage's run, so it is not timed. */
    private final RunMetrics runs = RunMetrics.global(Stage.PUBLISH);

    @Inject
    public RollbackListener(RollbackStage stage,
                            @Channel(Topics.IMAGE_ROLLED_BACK) Emitter<byte[]> rolledBack,
                            @Channel(Topics.PIPELINE_FAILED) Emitter<byte[]> pipelineFailed) {
        this.stage = stage;
        this.rolledBack = rolledBack;
        this.pipelineFailed = pipelineFailed;
        this.internalFailures = new InternalFailures(Stage.PUBLISH, pipelineFailed, VerifiedImageListener.SOURCE);
    }

    @Incoming(Topics.ROLLBACK_REQUESTED)
    @Blocking
    public CompletionStage<Void> onRollbackRequested(Message<byte[]> message) {
        return Inbound.dispatch(message, RollbackRequested.class, internalFailures, (request, in) -> {
            FreshenEvent outcome = stage.rollback(request);
            runs.ended(outcome);
            LOG.infof("Rollback %s (%s): %s", request.runId(), request.imageId(), outcome.type());
            Emitter<byte[]> out = outcome instanceof ImageRolledBack ? rolledBack : pipelineFailed;
            out.send(EventMessages.createFrom(in, outcome, VerifiedImageListener.SOURCE));
            return Inbound.done();
        });
    }
}
