package dev.freshen.messaging;

import dev.freshen.events.FreshenEvent;
import dev.freshen.events.InvalidEventException;
import dev.freshen.retry.StopRequested;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The one way services take events in: decode, hand the event to the service's handler, and nack what cannot be
 * processed at all so that the channel's dead-letter strategy moves it to {@code freshen.<service>.dlq} and
 * consumption goes on. The handler acknowledges the message, either by sending its output with
 * {@link EventMessages#createFrom} (then it returns {@link #done()}) or by acking it once its work is done.
 * <p>
 * The handler runs in the run's {@link RunContext}: its log lines (and those of the stage and adapters it calls on
 * the same thread) carry the MDC fields {@code runId} and {@code imageId}, and what it sends continues the trace of
 * the record it handles. Every
 * dead-lettered record is counted in {@code freshen_dead_letters_total} ({@link DeadLetterMetrics}).
 */
public final class Inbound {

    /** The dead-letter header with the stack summary of the failure. */
    public static final String STACK_HEADER = "dead-letter-stack";
    private static final int STACK_LIMIT = 2048;
    private static final int FRAMES = 4;
    private static final Logger LOG = Logger.getLogger(Inbound.class);

    private Inbound() {
    }

    /**
     * Decodes {@code message} and hands it to {@code handler}. A record that cannot be decoded, and a handler that
     * throws, are dead-lettered; a {@link StopRequested} leaves the record unacknowledged for redelivery.
     */
    public static <T extends FreshenEvent> CompletionStage<Void> dispatch(Message<byte[]> message, Class<T> type,
                                                                         BiFunction<T, Message<byte[]>, CompletionStage<Void>> handler) {
        return dispatch(message, type, null, handler);
    }

    /**
     * As {@link #dispatch(Message, Class, BiFunction)}, for a stage that ends runs: when the handler throws, the run
     * first ends with a {@code PipelineFailed} of kind {@code internal} ({@code failures}), then the record is
     * dead-lettered for replay. Every run therefore ends visibly, also on a defect.
     */
    public static <T extends FreshenEvent> CompletionStage<Void> dispatch(Message<byte[]> message, Class<T> type,
                                                                         InternalFailures failures,
                                                                         BiFunction<T, Message<byte[]>, CompletionStage<Void>> handler) {
        T event;
        try {
            event = EventMessages.decode(message, type);
        } catch (InvalidEventException e) {
            LOG.warnf("Dead-lettering a record at %s: %s", position(message), e.getMessage());
            DeadLetterMetrics.global().deadLettered(DeadLetterMetrics.INVALID_EVENT);
            return message.nack(e, deadLetterMetadata(e));
        }
        RunContext run = RunContext.open(event, message);
        try {
            FaultInjection.beforeHandling(event);
            return handler.apply(event, message);
        } catch (StopRequested e) {
            LOG.infof("Stopping: run %s (image %s) is left unacknowledged, to be delivered again (%s)", event.runId(),
                    event.imageId(), e.getMessage());
            return new CompletableFuture<>();
        } catch (RuntimeException e) {
            if (failures == null) {
                LOG.errorf(e, "Handling %s of run %s (image %s) failed; dead-lettering it", type.getSimpleName(),
                        event.runId(), event.imageId());
                DeadLetterMetrics.global().deadLettered(DeadLetterMetrics.HANDLER_FAILED);
                return message.nack(e, deadLetterMetadata(e));
            }
            LOG.errorf(e, "Handling %s of run %s (image %s) failed; ending the run as failed (internal) and "
                    + "dead-lettering the record for replay", type.getSimpleName(), event.runId(), event.imageId());
            return failures.report(event)
                    .exceptionally(notSent -> {
                        LOG.errorf("Run %s (image %s): the internal failure could not be sent (%s); the dead letter "
                                + "is all that is left of it", event.runId(), event.imageId(), notSent.getMessage());
                        return null;
                    })
                    .thenCompose(sent -> {
                        DeadLetterMetrics.global().deadLettered(DeadLetterMetrics.HANDLER_FAILED);
                        return message.nack(e, deadLetterMetadata(e));
                    });
        } finally {
            run.close();
        }
    }

    /**
     * Headers the dead-letter record gets besides SmallRye's ({@code dead-letter-reason}, {@code -cause},
     * {@code -topic}, {@code -partition}, {@code -offset}, {@code -exception-class-name}) and the record's own
     * (key and CloudEvents headers are kept, so a replay is the original record): a short stack summary.
     */
    static Metadata deadLetterMetadata(Throwable failure) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(STACK_HEADER, stackSummary(failure).getBytes(StandardCharsets.UTF_8));
        return Metadata.of(OutgoingKafkaRecordMetadata.builder().withHeaders(headers).build());
    }

    /** Each exception of the cause chain with its first frames, at most {@value #STACK_LIMIT} characters. */
    static String stackSummary(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && text.length() < STACK_LIMIT; t = t.getCause() == t ? null : t.getCause()) {
            if (t != failure) {
                text.append("caused by ");
            }
            text.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
                text.append("  at ").append(frames[i]).append('\n');
            }
        }
        return text.length() <= STACK_LIMIT ? text.toString() : text.substring(0, STACK_LIMIT);
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
