package dev.freshen.watcher.messaging;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ChecksFailed;
import dev.freshen.events.ChecksRecovered;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.RollbackRequested;
import dev.freshen.events.Topics;
import dev.freshen.messaging.EventMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The watcher's outgoing events; each send completes once Kafka has the record. */
@ApplicationScoped
public class WatcherEvents {

    static final String SOURCE = "/freshen/watcher";

    private final Emitter<byte[]> baseImageUpdated;
    private final Emitter<byte[]> forceUpdate;
    private final Emitter<byte[]> pipelineFailed;
    private final Emitter<byte[]> imageWatchChanged;
    private final Emitter<byte[]> rollbackRequested;
    private final Emitter<byte[]> checksFailed;
    private final Emitter<byte[]> checksRecovered;

    @Inject
    public WatcherEvents(@Channel(Topics.BASE_IMAGE_UPDATED) Emitter<byte[]> baseImageUpdated,
                         @Channel(Topics.FORCE_UPDATE) Emitter<byte[]> forceUpdate,
                         @Channel(Topics.PIPELINE_FAILED) Emitter<byte[]> pipelineFailed,
                         @Channel(Topics.IMAGE_WATCH_CHANGED) Emitter<byte[]> imageWatchChanged,
                         @Channel(Topics.ROLLBACK_REQUESTED) Emitter<byte[]> rollbackRequested,
                         @Channel(Topics.CHECKS_FAILED) Emitter<byte[]> checksFailed,
                         @Channel(Topics.CHECKS_RECOVERED) Emitter<byte[]> checksRecovered) {
        this.baseImageUpdated = baseImageUpdated;
        this.forceUpdate = forceUpdate;
        this.pipelineFailed = pipelineFailed;
        this.imageWatchChanged = imageWatchChanged;
        this.rollbackRequested = rollbackRequested;
        this.checksFailed = checksFailed;
        this.checksRecovered = checksRecovered;
    }

    public CompletionStage<Void> send(BaseImageUpdated event) {
        return send(baseImageUpdated, EventMessages.create(event, SOURCE));
    }

    public CompletionStage<Void> send(ForceUpdateRequested event) {
        return send(forceUpdate, EventMessages.create(event, SOURCE));
    }

    /** A run the watcher ends itself (timed out). */
    public CompletionStage<Void> send(PipelineFailed event) {
        return send(pipelineFailed, EventMessages.create(event, SOURCE));
    }

    /** An image is not watched any more, or watched again. */
    public CompletionStage<Void> send(ImageWatchChanged event) {
        return send(imageWatchChanged, EventMessages.create(event, SOURCE));
    }

    /** An operator asked for a rollback (for the publisher). */
    public CompletionStage<Void> send(RollbackRequested event) {
        return send(rollbackRequested, EventMessages.create(event, SOURCE));
    }

    /** An image's checks failed a number of cycles in a row. */
    public CompletionStage<Void> send(ChecksFailed event) {
        return send(checksFailed, EventMessages.create(event, SOURCE));
    }

    /** An image's checks pass again. */
    public CompletionStage<Void> send(ChecksRecovered event) {
        return send(checksRecovered, EventMessages.create(event, SOURCE));
    }

    private static CompletionStage<Void> send(Emitter<byte[]> emitter, Message<byte[]> message) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        emitter.send(message.withAck(() -> {
            sent.complete(null);
            return CompletableFuture.completedFuture(null);
        }).withNack(e -> {
            sent.completeExceptionally(e);
            return CompletableFuture.completedFuture(null);
        }));
        return sent;
    }
}
