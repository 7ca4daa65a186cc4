package dev.freshen.tester.messaging;

import dev.freshen.tester.VerificationStage;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.Stage;
import dev.freshen.events.Topics;
import dev.freshen.messaging.EventMessages;
import dev.freshen.messaging.Inbound;
import dev.freshen.messaging.InternalFailures;
import dev.freshen.messaging.RunMetrics;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/** Takes built candidates off Kafka, hands them to the {@link VerificationStage}, and emits its outcome. */
@ApplicationScoped
public class CandidateListener {

    static final String SOURCE = "/freshen/tester";
    /** Tests run on this worker pool; its size (smallrye.messaging.worker.freshen-tests.max-concurrency) bounds parallel tests. */
    static final String TEST_POOL = "freshen-tests";
    private static final Logger LOG = Logger.getLogger(CandidateListener.class);

    /** How long a request waits at start-up for the outcomes stated before to be read. */
    private static final java.time.Duration CATCH_UP = java.time.Duration.ofMinutes(2);

    private final VerificationStage stage;
    private final TestOutcomeFeed outcomes;
    private final Emitter<byte[]> success;
    private final Emitter<byte[]> pipelineFailed;
    private final InternalFailures internalFailures;
    private final RunMetrics runs = RunMetrics.global(Stage.TEST);

    @Inject
    public CandidateListener(VerificationStage stage, TestOutcomeFeed outcomes,
                     @Channel(Topics.IMAGE_VERIFIED) Emitter<byte[]> success,
                     @Channel(Topics.PIPELINE_FAILED) Emitter<byte[]> pipelineFailed) {
        this.stage = stage;
        this.outcomes = outcomes;
        this.success = success;
        this.pipelineFailed = pipelineFailed;
        this.internalFailures = new InternalFailures(Stage.TEST, pipelineFailed, SOURCE);
    }

    @Incoming(Topics.IMAGE_BUILT)
    @Blocking(TEST_POOL)
    public CompletionStage<Void> onImageBuilt(Message<byte[]> message) {
        return Inbound.dispatch(message, ImageBuilt.class, internalFailures, (event, in) -> {
            awaitKnownOutcomes();
            FreshenEvent outcome = runs.timed(event.imageId(), () -> stage.verify(event));
            LOG.infof("Run %s (%s): %s", event.runId(), event.imageId(), outcome.type());
            Emitter<byte[]> out = outcome instanceof ImageVerified ? success : pipelineFailed;
            out.send(EventMessages.createFrom(in, outcome, SOURCE));
            return Inbound.done();
        });
    }

    private void awaitKnownOutcomes() {
        try {
            if (!outcomes.awaitCaughtUp(CATCH_UP)) {
                LOG.warnf("The earlier test outcomes are not read after %s; testing anyway (a redelivered run may be "
                        + "tested twice)", CATCH_UP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
