package dev.freshen.builder;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.EventJson;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Topics;
import dev.freshen.messaging.EventMessages;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.KafkaResource;
import dev.freshen.testing.SampleEvents;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The packaged builder, as its own process, against the real Kafka broker. */
@QuarkusIntegrationTest
@WithTestResource(KafkaResource.class)
class BuilderIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static EventTopics topics;

    @BeforeAll
    static void connect() {
        topics = new EventTopics(KafkaBroker.bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        topics.close();
    }

    @Test
    void consumesBaseImageUpdatedFromKafkaAndEmitsItsOutcome() {
        BaseImageUpdated request = SampleEvents.baseImageUpdated();
        topics.send(request);

        ConsumerRecord<String, byte[]> record = topics.awaitRecord(Topics.PIPELINE_FAILED,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(request.runId()), TIMEOUT);
        assertEquals(request.imageId(), record.key());
        assertEquals("dev.freshen.pipeline-failed.v1", header(record, "ce_type"));
        assertEquals("/freshen/builder", header(record, "ce_source"));
        PipelineFailed failed = EventJson.read(record.value(), PipelineFailed.class);
        assertEquals(Stage.BUILD, failed.stage());
    }

    @Test
    void deadLettersAPoisonRecordAndKeepsConsuming() {
        BaseImageUpdated template = SampleEvents.baseImageUpdated();
        String poisonKey = "poison-" + template.runId();
        topics.sendRaw(Topics.BASE_IMAGE_UPDATED, poisonKey, "{not json".getBytes(StandardCharsets.UTF_8),
                EventMessages.headers(template, "/freshen/test"));
        BaseImageUpdated after = SampleEvents.baseImageUpdated();
        topics.send(after);

        ConsumerRecord<String, byte[]> dead = topics.awaitRecord(Topics.BUILDER_DLQ, r -> poisonKey.equals(r.key()), TIMEOUT);
        assertNotNull(dead.headers().lastHeader("dead-letter-reason"));
        assertEquals(Topics.BASE_IMAGE_UPDATED, header(dead, "dead-letter-topic"));
        topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(after.runId()), TIMEOUT);
    }

    @Test
    void exposesHealthAndPrometheusMetrics() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200).body(containsString("\"status\": \"UP\""));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
