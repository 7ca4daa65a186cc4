package dev.freshen.notifier.messaging;

import dev.freshen.events.ChecksFailed;
import dev.freshen.events.ChecksRecovered;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Topics;
import dev.freshen.messaging.Inbound;
import dev.freshen.notifier.Dispatcher;
import dev.freshen.notifier.NotificationFailedException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Announces every published or failed run, every rollback, every change of an image's watch state (not watched
 * any more, watched again), and every change of its check health (checks failing, checks pass again), through the
 * {@link Dispatcher}. A record is acknowledged once every channel
 * has the event; when a channel still fails after its retries, the record is nacked with a
 * {@link NotificationFailedException}, which the channel's {@code dead-letter-queue} failure strategy sends to
 * {@code freshen.notifier.dlq} (the error in the {@code dead-letter-reason} header). Replaying it later posts only to
 * the channels that did not get it: the others are skipped by the delivery records. When the service stops during a
 * delivery, the dispatcher throws {@code StopRequested} and {@link Inbound} leaves the record for redelivery.
 */
@ApplicationScoped
public class RunOutcomeListener {

    private static final Logger LOG = Logger.getLogger(RunOutcomeListener.class);

    private final Dispatcher dispatcher;

    @Inject
    public RunOutcomeListener(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
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

    /** An image is not watched any more (its descriptor became invalid), or watched again. */
    @Incoming(Topics.IMAGE_WATCH_CHANGED)
    @Blocking
    public CompletionStage<Void> onImageWatchChanged(Message<byte[]> message) {
        return Inbound.dispatch(message, ImageWatchChanged.class, this::announce);
    }

    /** An image's moving tags were moved back to an earlier version. */
    @Incoming(Topics.IMAGE_ROLLED_BACK)
    @Blocking
    public CompletionStage<Void> onImageRolledBack(Message<byte[]> message) {
        return Inbound.dispatch(message, ImageRolledBack.class, this::announce);
    }

    /** An image's checks failed a number of cycles in a row. */
    @Incoming(Topics.CHECKS_FAILED)
    @Blocking
    public CompletionStage<Void> onChecksFailed(Message<byte[]> message) {
        return Inbound.dispatch(message, ChecksFailed.class, this::announce);
    }

    /** An image's checks pass again after failing. */
    @Incoming(Topics.CHECKS_RECOVERED)
    @Blocking
    public CompletionStage<Void> onChecksRecovered(Message<byte[]> message) {
        return Inbound.dispatch(message, ChecksRecovered.class, this::announce);
    }

    private CompletionStage<Void> announce(FreshenEvent event, Message<byte[]> in) {
        Dispatcher.Report report = dispatcher.dispatch(event);
        if (report.complete()) {
            return in.ack();
        }
        String summary = report.failureSummary();
        LOG.warnf("Dead-lettering the record at %s: %s", Inbound.position(in), summary);
        return in.nack(new NotificationFailedException(summary));
    }
}
