package dev.freshen.notifier.messaging;

import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Topics;
import dev.freshen.messaging.Inbound;
import dev.freshen.notifier.Notifier;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Announces every published or failed run on each configured channel. */
@ApplicationScoped
public class RunOutcomeListener {

    private static final Logger LOG = Logger.getLogger(RunOutcomeListener.class);

    private final List<Notifier> notifiers;

    @Inject
    public RunOutcomeListener(List<Notifier> notifiers) {
        this.notifiers = notifiers;
    }

    @Incoming(Topics.IMAGE_PUBLISHED)
    @Blocking
    public CompletionStage<Void> onImagePublished(Message<byte[]> message) {
        return Inbound.dispatch(message, ImagePublished.class, this::announce);
    }

    @Incoming(Topics.PIPELINE_FAILED)
    @Blocking
    public CompletionStage<Void> onPipelineFailed(Message<byte[]> message) {
        return Inbound.dispatch(message, PipelineFailed.class, this::announce);
    }

    private CompletionStage<Void> announce(FreshenEvent event, Message<byte[]> in) {
        for (Notifier notifier : notifiers) {
            notifier.notify(event);
            LOG.infof("Run %s (%s): %s announced on %s", event.runId(), event.imageId(), event.type(), notifier.name());
        }
        return in.ack();
    }
}
