package dev.freshen.builder.messaging;

import dev.freshen.builder.BuildRequest;
import dev.freshen.builder.BuildStage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
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

/** Takes build requests off Kafka, hands them to the {@link BuildStage}, and emits its outcome. */
@ApplicationScoped
public class BuildRequestListener {

    static final String SOURCE = "/freshen/builder";
    /** Builds run on this worker pool; its size (smallrye.messaging.worker.freshen-builds.max-concurrency) bounds parallel builds. */
    static final String BUILD_POOL = "freshen-builds";
    private static final Logger LOG = Logger.getLogger(BuildRequestListener.class);

    /** How long a request waits at start-up for the outcomes stated before to be read. */
    private static final java.time.Duration CATCH_UP = java.time.Duration.ofMinutes(2);

    private final BuildStage stage;
    private final BuildOutcomeFeed outcomes;
    private final Emitter<byte[]> imageBuilt;
    private final Emitter<byte[]> pipelineFailed;
    private final InternalFailures internalFailures;
    private final RunMetrics runs = RunMetrics.global(Stage.BUILD);

    @Inject
    public BuildRequestListener(BuildStage stage, BuildOutcomeFeed outcomes,
                                @Channel(Topics.IMAGE_BUILT) Emitter<byte[]> imageBuilt,
                                @Channel(Topics.PIPELINE_FAILED) Emitter<byte[]> pipelineFailed) {
        this.stage = stage;
        this.outcomes = outcomes;
        this.imageBuilt = imageBuilt;
        this.pipelineFailed = pipelineFailed;
        this.internalFailures = new InternalFailures(Stage.BUILD, pipelineFailed, SOURCE);
    }

    @Incoming(Topics.BASE_IMAGE_UPDATED)
    @Blocking(BUILD_POOL)
    public CompletionStage<Void> onBaseImageUpdated(Message<byte[]> message) {
        return Inbound.dispatch(message, BaseImageUpdated.class, internalFailures,
                (event, in) -> handle(BuildRequest.of(event), in));
    }

    @Incoming(Topics.FORCE_UPDATE)
    @Blocking(BUILD_POOL)
    public CompletionStage<Void> onForceUpdate(Message<byte[]> message) {
        return Inbound.dispatch(message, ForceUpdateRequested.class, internalFailures,
                (event, in) -> handle(BuildRequest.of(event), in));
    }

    private CompletionStage<Void> handle(BuildRequest request, Message<byte[]> in) {
        awaitKnownOutcomes();
        FreshenEvent outcome = runs.timed(request.imageId(), () -> stage.build(request));
        LOG.infof("Run %s (%s): %s", request.runId(), request.imageId(), outcome.type());
        Emitter<byte[]> out = outcome instanceof ImageBuilt ? imageBuilt : pipelineFailed;
        out.send(EventMessages.createFrom(in, outcome, SOURCE));
        return Inbound.done();
    }

    private void awaitKnownOutcomes() {
        try {
            if (!outcomes.awaitCaughtUp(CATCH_UP)) {
                LOG.warnf("The earlier build outcomes are not read after %s; building anyway (a redelivered run may be "
                        + "built twice)", "2m");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
