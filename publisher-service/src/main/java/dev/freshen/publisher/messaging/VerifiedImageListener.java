package dev.freshen.publisher.messaging;

import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.Stage;
import dev.freshen.events.Topics;
import dev.freshen.messaging.EventMessages;
import dev.freshen.messaging.Inbound;
import dev.freshen.messaging.InternalFailures;
import dev.freshen.messaging.RunMetrics;
import dev.freshen.publisher.CandidateCleanup;
import dev.freshen.publisher.PublishStage;
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
 * Takes verified candidates off Kafka, hands them to the {@link PublishStage}, emits its outcome, and once published
 * deletes the candidate from staging ({@link CandidateCleanup}; it never fails the run). Records are
 * handled one at a time, in order, on a worker thread: publishing takes seconds, and the order of one image's runs
 * decides which becomes the newest version.
 */
@ApplicationScoped
public class VerifiedImageListener {

    static final String SOURCE = "/freshen/publisher";
    private static final Logger LOG = Logger.getLogger(VerifiedImageListener.class);

    private final PublishStage stage;
    private final CandidateCleanup cleanup;
    private final Emitter<byte[]> success;
    private final Emitter<byte[]> pipelineFailed;
    private final InternalFailures internalFailures;
    private final RunMetrics runs = RunMetrics.global(Stage.PUBLISH);

    @Inject
    public VerifiedImageListener(PublishStage stage, CandidateCleanup cleanup,
                                 @Channel(Topics.IMAGE_PUBLISHED) Emitter<byte[]> success,
                                 @Channel(Topics.PIPELINE_FAILED) Emitter<byte[]> pipelineFailed) {
        this.stage = stage;
        this.cleanup = cleanup;
        this.success = success;
        this.pipelineFailed = pipelineFailed;
        this.internalFailures = new InternalFailures(Stage.PUBLISH, pipelineFailed, SOURCE);
    }

    @Incoming(Topics.IMAGE_VERIFIED)
    @Blocking
    public CompletionStage<Void> onImageVerified(Message<byte[]> message) {
        return Inbound.dispatch(message, ImageVerified.class, internalFailures, (event, in) -> {
            FreshenEvent outcome = runs.timed(event.imageId(), () -> stage.publish(event));
            LOG.infof("Run %s (%s): %s", event.runId(), event.imageId(), outcome.type());
            Emitter<byte[]> out = outcome instanceof ImagePublished ? success : pipelineFailed;
            out.send(EventMessages.createFrom(in, outcome, SOURCE));
            if (outcome instanceof ImagePublished) {
                cleanup.afterPublished(event); // a failure's candidate: EndedRunListener, from the topic
            }
            return Inbound.done();
        });
    }
}
