package dev.freshen.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshen.events.EventJson;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.Topics;
import dev.freshen.messaging.EventMessages;
import dev.freshen.messaging.Inbound;
import dev.freshen.testing.SampleEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Records that cannot be processed at all, on every input topic of every stage, ahead of valid ones with the same
 * key (so on the same partition): each lands in its service's dead-letter topic with the reason and where it came
 * from, and the valid events behind them are processed.
 */
@Order(3)
class PoisonIT {

    private static final String IMAGE = "faults/poison";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Input topic -> a valid event of its type (for headers and the missing-field record) and its service's DLQ. */
    private static final Map<String, Supplier<FreshenEvent>> SAMPLES = Map.of(
            Topics.BASE_IMAGE_UPDATED, SampleEvents::baseImageUpdated,
            Topics.FORCE_UPDATE, SampleEvents::forceUpdateRequested,
            Topics.IMAGE_BUILT, SampleEvents::imageBuilt,
            Topics.IMAGE_VERIFIED, SampleEvents::imageVerified,
            Topics.IMAGE_PUBLISHED, SampleEvents::imagePublished,
            Topics.PIPELINE_FAILED, SampleEvents::pipelineFailed);
    private static final Map<String, String> DLQ = Map.of(
            Topics.BASE_IMAGE_UPDATED, Topics.BUILDER_DLQ, Topics.FORCE_UPDATE, Topics.BUILDER_DLQ,
            Topics.IMAGE_BUILT, Topics.TESTER_DLQ, Topics.IMAGE_VERIFIED, Topics.PUBLISHER_DLQ,
            Topics.IMAGE_PUBLISHED, Topics.NOTIFIER_DLQ, Topics.PIPELINE_FAILED, Topics.NOTIFIER_DLQ);
    private static final int KINDS = 4;
    private static FaultStack stack;

    @BeforeAll
    static void up() {
        stack = FaultStack.shared();
        stack.updateBase("dotnet/poison");
        stack.addImage(IMAGE, "dotnet/poison:10.0", "", "teams");
    }

    @Test
    void poisonOnEveryInputTopicIsDeadLetteredAndTheValidEventsBehindItAreProcessed() throws Exception {
        ScenarioReport.run("5 poison records on all 6 input topics", () -> {
            for (String topic : SAMPLES.keySet()) {
                sendPoison(topic);
            }
            // valid work behind the poison, through every topic: a forced run, then a base update
            ImagePublished forced = stack.awaitPublished(stack.forceUpdate(IMAGE, "after the poison"));
            stack.updateBase("dotnet/poison");
            ImagePublished updated = stack.awaitPublished(stack.check(IMAGE));
            assertEquals(List.of("1.0.0", "1.1.0"), List.of(forced.version(), updated.version()));
            await().atMost(Duration.ofSeconds(60)).until(() -> stack.receiver.requests(FaultStack.TEAMS_PATH).stream()
                    .anyMatch(r -> r.body().contains(updated.runId())));

            for (var entry : DLQ.entrySet()) {
                List<ConsumerRecord<String, byte[]>> dead = stack.topics.awaitRecords(entry.getValue(),
                        r -> IMAGE.equals(r.key()) && entry.getKey().equals(header(r.headers(), "dead-letter-topic")),
                        KINDS, Duration.ofSeconds(60));
                for (ConsumerRecord<String, byte[]> record : dead) {
                    assertNotNull(header(record.headers(), "dead-letter-reason"), "reason");
                    assertNotNull(header(record.headers(), "dead-letter-offset"), "original offset");
                    assertNotNull(header(record.headers(), "dead-letter-partition"), "original partition");
                    assertNotNull(header(record.headers(), Inbound.STACK_HEADER), "stack summary");
                }
            }
            EndState end = stack.endState(List.of(IMAGE));
            end.assertConsistent();
            assertEquals(KINDS * DLQ.size(), end.deadLetters(), "every poison record dead-lettered once");
            for (String service : List.of("builder", "tester", "publisher", "notifier")) {
                io.restassured.RestAssured.get(stack.service(service).baseUri().resolve("/q/health/live"))
                        .then().statusCode(200); // alive and consuming
            }
            return end.counts() + " poison=" + KINDS * DLQ.size();
        });
    }

    /** Four records no stage can process: not JSON, another event's type, 900 KB of padding, no runId. */
    private static void sendPoison(String topic) throws Exception {
        FreshenEvent sample = SAMPLES.get(topic).get();
        Headers headers = headers(sample);
        stack.topics.sendRaw(topic, IMAGE, "{\"runId\": oops".getBytes(StandardCharsets.UTF_8), headers);

        String otherTopic = topic.equals(Topics.FORCE_UPDATE) ? Topics.IMAGE_BUILT : Topics.FORCE_UPDATE;
        FreshenEvent other = SAMPLES.get(otherTopic).get();
        stack.topics.sendRaw(topic, IMAGE, EventJson.write(other), headers(other));

        String huge = "{\"runId\":\"huge\",\"imageId\":\"" + IMAGE + "\",\"padding\":\"" + "x".repeat(900_000) + "\"}";
        stack.topics.sendRaw(topic, IMAGE, huge.getBytes(StandardCharsets.UTF_8), headers);

        ObjectNode withoutRunId = (ObjectNode) JSON.readTree(EventJson.write(sample));
        withoutRunId.remove("runId");
        stack.topics.sendRaw(topic, IMAGE, JSON.writeValueAsBytes(withoutRunId), headers);
    }

    private static Headers headers(FreshenEvent event) {
        return EventMessages.headers(event, "/freshen/fault-test");
    }

    private static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
