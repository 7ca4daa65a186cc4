package dev.freshen.messaging;

import dev.freshen.events.FreshenEvent;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.TracingMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logmanager.MDC;

import java.util.concurrent.Executor;

/**
 * The context of one run's handling on the current thread: the log fields {@value #RUN_ID} and {@value #IMAGE_ID}
 * (in the JBoss Log Manager's MDC, which Quarkus' log records and its JSON formatter read) and the run's trace (the
 * OpenTelemetry context of the record being handled, so what the handler sends continues the run's trace).
 * {@link Inbound#dispatch} opens one around the handler; {@link #propagating(Executor)} carries both to the threads a
 * stage hands work to. Closing restores what was there before, so a pooled thread keeps no finished run's fields.
 * <p>
 * In Quarkus the MDC of a Vert.x worker thread lives in the Vert.x context it runs on; the Kafka connector gives each
 * record its own (duplicated) context, so the fields stay with the record's handling. (A message without one, e.g.
 * from an in-memory channel that does not {@code runOnVertxContext}, would lose them.)
 */
public final class RunContext implements AutoCloseable {

    /** MDC key of the run id (a JSON log line's {@code mdc.runId}). */
    public static final String RUN_ID = "runId";
    /** MDC key of the image id (a JSON log line's {@code mdc.imageId}). */
    public static final String IMAGE_ID = "imageId";

    private final String previousRunId;
    private final String previousImageId;
    private final Scope trace;

    private RunContext(String runId, String imageId, Context trace) {
        this.previousRunId = put(RUN_ID, runId);
        this.previousImageId = put(IMAGE_ID, imageId);
        this.trace = trace == null ? Scope.noop() : trace.makeCurrent();
    }

    /** Opens the context of {@code event}'s run, with the trace of {@code message} when it carries one. */
    public static RunContext open(FreshenEvent event, Message<?> message) {
        Context trace = TracingMetadata.fromMessage(message).map(TracingMetadata::getCurrentContext).orElse(null);
        return new RunContext(event.runId(), event.imageId(), trace);
    }

    /** Opens the log fields of {@code runId}/{@code imageId} (null: not set); the trace is left as it is. */
    public static RunContext open(String runId, String imageId) {
        return new RunContext(runId, imageId, null);
    }

    /**
     * {@code executor}, but each task runs with the log fields and the trace that were current when it was handed
     * over (a notifier's parallel deliveries log under the run they deliver).
     */
    public static Executor propagating(Executor executor) {
        return task -> {
            String runId = MDC.get(RUN_ID);
            String imageId = MDC.get(IMAGE_ID);
            Runnable traced = Context.current().wrap(task);
            executor.execute(() -> {
                try (RunContext ignored = open(runId, imageId)) {
                    traced.run();
                } finally {
                    // a pool thread started inside a run inherited its fields (the MDC is inheritable): keep none
                    MDC.remove(RUN_ID);
                    MDC.remove(IMAGE_ID);
                }
            });
        };
    }

    @Override
    public void close() {
        trace.close();
        restore(IMAGE_ID, previousImageId);
        restore(RUN_ID, previousRunId);
    }

    private static String put(String key, String value) {
        String previous = MDC.get(key);
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
        return previous;
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
