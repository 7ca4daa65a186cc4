package dev.freshen.testing;

import dev.freshen.events.EventJson;
import dev.freshen.events.EventType;
import dev.freshen.events.FreshenEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ServiceContract} for a pipeline stage: it handles its input by emitting an outcome event for the same run,
 * keyed by image id, with CloudEvents headers naming the stage as source.
 */
public abstract class StageServiceContract extends ServiceContract {

    /** The outcome the service emits for {@link #input()}. */
    protected abstract EventType outcome();

    /** The service's CloudEvents source, e.g. {@code /freshen/builder}. */
    protected abstract String source();

    @Override
    protected void awaitHandled(FreshenEvent in) {
        String run = "\"runId\":\"" + in.runId() + "\"";
        ConsumerRecord<String, byte[]> record = topics.awaitRecord(outcome().topic(),
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(run), TIMEOUT);
        assertEquals(in.imageId(), record.key(), "record key = image id");
        assertEquals(outcome().cloudEventType(), header(record, "ce_type"));
        assertEquals(source(), header(record, "ce_source"));
        assertEquals(in.imageId(), header(record, "ce_subject"));
        assertEquals(in.runId(), EventJson.read(record.value(), outcome()).runId());
    }
}
