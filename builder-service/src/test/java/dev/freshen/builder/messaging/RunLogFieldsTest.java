package dev.freshen.builder.messaging;

import dev.freshen.events.EventJson;
import dev.freshen.events.Topics;
import dev.freshen.messaging.RunContext;
import dev.freshen.testing.InMemoryChannels;
import dev.freshen.testing.KafkaResource;
import dev.freshen.testing.SampleEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log lines of a run's handling carry its {@code runId} and {@code imageId} as MDC fields (what JSON logs show
 * under {@code mdc}): the lines of {@code BuildStage}, logged on the builder's worker pool, not only the listener's.
 * The same application and resources as {@link BuildRequestListenerTest}, so Quarkus starts once for both.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = InMemoryChannels.class, initArgs = {
        @ResourceArg(name = "incoming", value = Topics.BASE_IMAGE_UPDATED + "," + Topics.FORCE_UPDATE),
        @ResourceArg(name = "outgoing", value = Topics.IMAGE_BUILT + "," + Topics.PIPELINE_FAILED)})
class RunLogFieldsTest {

    /** One captured line: logger, message, and the two MDC fields as they were when it was logged. */
    record Line(String logger, String message, String thread, Object runId, Object imageId) {
    }

    @Inject
    @Any
    InMemoryConnector connector;

    @Test
    void theStagesLinesOfARunCarryItsRunIdAndImageId() {
        List<Line> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                ExtLogRecord ext = (ExtLogRecord) record;
                lines.add(new Line(ext.getLoggerName(), ext.getFormattedMessage(), ext.getThreadName(),
                        ext.getMdc(RunContext.RUN_ID), ext.getMdc(RunContext.IMAGE_ID)));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger freshen = Logger.getLogger("dev.freshen");
        freshen.addHandler(capture);
        try {
            var request = SampleEvents.forceUpdateRequested();
            // each record on its own (duplicated) Vert.x context, as the Kafka connector delivers them: Quarkus keeps
            // the MDC of a worker in that context
            connector.source(Topics.FORCE_UPDATE).runOnVertxContext(true).send(EventJson.write(request));

            await().until(() -> lines.stream().anyMatch(l -> l.logger().equals(BuildRequestListener.class.getName())
                    && l.message().contains(request.runId())));
            List<Line> ofRun = lines.stream().filter(l -> l.message().contains(request.runId())).toList();
            Line stage = ofRun.stream().filter(l -> l.logger().equals("dev.freshen.builder.BuildStage")).findFirst()
                    .orElseThrow(() -> new AssertionError("no BuildStage line of the run in " + ofRun));
            assertTrue(!stage.thread().equals(Thread.currentThread().getName()), "logged by the listener's worker: " + stage);
            ofRun.forEach(line -> {
                assertEquals(request.runId(), line.runId(), "runId of " + line);
                assertEquals(request.imageId(), line.imageId(), "imageId of " + line);
            });
        } finally {
            connector.source(Topics.FORCE_UPDATE).runOnVertxContext(false);
            freshen.removeHandler(capture);
        }
    }
}
