package dev.freshen.messaging;

import dev.freshen.events.FreshenEvent;
import dev.freshen.events.InvalidEventException;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The one way services take events in: decode, hand the event to the service's handler, and nack what cannot be
 * processed at all so that the channel's dead-letter strategy moves it to {@code freshen.<service>.dlq} and
 * consumption goes on. The handler acknowledges the message, either by sending its output with
 * {@link EventMessages#createFrom} (then it returns {@link #done()}) or by acking it once its work is done.
 */
public final class Inbound {

    private static final Logger LOG = Logger.getLogger(Inbound.class);

    private Inbound() {
    }

    public static <T extends FreshenEvent> CompletionStage<Void> dispatch(Message<byte[]> message, Class<T> type,
                                                                         BiFunction<T, Message<byte[]>, CompletionStage<Void>> handler) {
        T event;
        try {
            event = EventMessages.decode(message, type);
        } catch (InvalidEventException e) {
            LOG.warnf("Dead-lettering a record at %s: %s", position(message), e.getMessage());
            return message.nack(e);
        }
        try {
            return handler.apply(event, message);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Handling %s of run %s (image %s) failed", type.getSimpleName(), event.runId(), event.imageId());
            return message.nack(e);
        }
    }

    /** For handlers whose output message carries the acknowledgement. */
    public static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    /** {@code topic/partition@offset} of a Kafka message, for logs. */
    public static String position(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "/" + m.getPartition() + "@" + m.getOffset())
                .orElse("(in-memory)");
    }
}
