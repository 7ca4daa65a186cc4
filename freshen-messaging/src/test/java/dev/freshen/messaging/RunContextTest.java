package dev.freshen.messaging;

import dev.freshen.events.EventJson;
import dev.freshen.events.ForceUpdateRequested;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logmanager.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class RunContextTest {

    private static final ForceUpdateRequested EVENT = new ForceUpdateRequested("run-1", "dotnet/runtime", 1,
            Instant.parse("2026-01-01T00:00:00Z"), "test", null);
    private static final SpanContext INCOMING = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
            TraceFlags.getSampled(), TraceState.getDefault());

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void theHandlerRunsWithTheRunsFieldsAndTheRecordsTraceAndTheThreadKeepsNeither() {
        MDC.put(RunContext.RUN_ID, "outer");
        Message<byte[]> message = Message.of(EventJson.write(EVENT))
                .addMetadata(TracingMetadata.withCurrent(Context.root().with(Span.wrap(INCOMING))));
        AtomicReference<String> runId = new AtomicReference<>();
        AtomicReference<String> imageId = new AtomicReference<>();
        AtomicReference<SpanContext> trace = new AtomicReference<>();

        Inbound.dispatch(message, ForceUpdateRequested.class, (event, in) -> {
            runId.set(MDC.get(RunContext.RUN_ID));
            imageId.set(MDC.get(RunContext.IMAGE_ID));
            trace.set(Span.current().getSpanContext());
            return Inbound.done();
        });

        assertEquals("run-1", runId.get());
        assertEquals("dotnet/runtime", imageId.get());
        assertEquals(INCOMING, trace.get());
        assertEquals("outer", MDC.get(RunContext.RUN_ID), "what was there before is back");
        assertNull(MDC.get(RunContext.IMAGE_ID));
        assertSame(Context.root(), Context.current());
    }

    @Test
    void aFailingHandlerLeavesNoFieldsBehind() {
        Message<byte[]> message = Message.of(EventJson.write(EVENT))
                .withNack(e -> CompletableFuture.completedFuture(null));
        Inbound.dispatch(message, ForceUpdateRequested.class, (event, in) -> {
            throw new IllegalStateException("defect");
        });
        assertNull(MDC.get(RunContext.RUN_ID));
        assertNull(MDC.get(RunContext.IMAGE_ID));
    }

    @Test
    void theOutputContinuesTheInputsTraceWhateverThreadBuildsIt() throws Exception {
        Message<byte[]> in = Message.of(EventJson.write(EVENT))
                .addMetadata(TracingMetadata.withCurrent(Context.root().with(Span.wrap(INCOMING))));
        Message<byte[]> out = CompletableFuture.supplyAsync(() -> EventMessages.createFrom(in, EVENT, "/freshen/test")).get();
        Context parent = TracingMetadata.fromMessage(out).orElseThrow().getCurrentContext();
        assertEquals(INCOMING, Span.fromContext(parent).getSpanContext());
    }

    @Test
    void aPropagatingExecutorRunsTasksUnderTheRunThatHandedThemOver() throws Exception {
        var pool = Executors.newSingleThreadExecutor();
        try {
            var executor = RunContext.propagating(pool);
            AtomicReference<String> seen = new AtomicReference<>();
            try (RunContext ignored = RunContext.open("run-2", "dotnet/aspnet")) {
                CompletableFuture.runAsync(() -> seen.set(MDC.get(RunContext.RUN_ID) + " " + MDC.get(RunContext.IMAGE_ID)),
                        executor).get();
            }
            assertEquals("run-2 dotnet/aspnet", seen.get());
            assertNull(CompletableFuture.supplyAsync(() -> MDC.get(RunContext.RUN_ID), pool).get(),
                    "the pool's thread keeps nothing after the task");
        } finally {
            pool.shutdown();
        }
    }
}
