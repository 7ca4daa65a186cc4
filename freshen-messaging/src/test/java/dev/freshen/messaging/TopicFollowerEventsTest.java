package dev.freshen.messaging;

import dev.freshen.events.EventJson;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.RunIds;
import dev.freshen.events.Stage;
import dev.freshen.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link TopicFollower#events}: each record read as its topic's event; what is no such event is skipped. */
class TopicFollowerEventsTest {

    @Test
    void recordsAreReadAsTheirTopicsEventsAndUnreadableOnesSkipped() {
        List<FreshenEvent> seen = new ArrayList<>();
        Consumer<ConsumerRecord<String, byte[]>> sink = TopicFollower.events(seen::add);
        var forced = new ForceUpdateRequested(RunIds.forced(), "net10/runtime", 1, Instant.now(), "typo fix", "cli:ana");
        var failed = new PipelineFailed(forced.runId(), "net10/runtime", 1, Instant.now(), Stage.BUILD,
                FailureKind.PERMANENT, "the RUN step failed", null, null);

        sink.accept(record(Topics.FORCE_UPDATE, 0, EventJson.write(forced)));
        sink.accept(record(Topics.FORCE_UPDATE, 1, "{\"runId\":".getBytes(StandardCharsets.UTF_8)));
        sink.accept(record(Topics.PIPELINE_FAILED, 0, EventJson.write(forced)));
        sink.accept(record(Topics.PIPELINE_FAILED, 1, EventJson.write(failed)));

        assertEquals(List.of(forced, failed), seen, "the garbage and the force-update on the failure topic are skipped");
    }

    private static ConsumerRecord<String, byte[]> record(String topic, long offset, byte[] value) {
        return new ConsumerRecord<>(topic, 0, offset, "net10/runtime", value);
    }
}
