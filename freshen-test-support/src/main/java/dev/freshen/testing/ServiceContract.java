package dev.freshen.testing;

import dev.freshen.events.FreshenEvent;
import dev.freshen.messaging.EventMessages;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What every Freshen service that consumes events must do, checked against the packaged service running as its own
 * process ({@link ServiceProcess}, started before and stopped after the test class) and the real Kafka broker: handle
 * its input event, dead-letter a record it cannot read and keep consuming, and expose health and Prometheus metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServiceContract {

    protected static final Duration TIMEOUT = Duration.ofSeconds(60);
    protected EventTopics topics;
    protected ServiceProcess service;

    /** The service's configuration beyond the Kafka broker. */
    protected Map<String, String> config() {
        return Map.of();
    }

    /** A fresh, valid input event (a new run id each call). */
    protected abstract Supplier<FreshenEvent> input();

    /** Waits until the service has visibly handled {@code in} (its outcome event, a delivered notification...). */
    protected abstract void awaitHandled(FreshenEvent in);

    /** {@code freshen.<service>.dlq}. */
    protected abstract String deadLetterTopic();

    @BeforeAll
    void startService() {
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        Map<String, String> all = new HashMap<>(config());
        all.put("kafka.bootstrap.servers", KafkaBroker.bootstrapServers());
        service = ServiceProcess.start(Paths.get("").toAbsolutePath(), all, TIMEOUT);
    }

    @AfterAll
    void stopService() {
        if (service != null) {
            service.close();
        }
        topics.close();
    }

    @Test
    void consumesItsInputFromKafka() {
        FreshenEvent in = input().get();
        topics.send(in);
        awaitHandled(in);
    }

    @Test
    void deadLettersARecordItCannotReadAndKeepsConsuming() {
        FreshenEvent template = input().get();
        String poisonKey = "poison-" + template.runId();
        topics.sendRaw(template.type().topic(), poisonKey, "{not json".getBytes(StandardCharsets.UTF_8),
                EventMessages.headers(template, "/freshen/test"));
        FreshenEvent after = input().get();
        topics.send(after);

        ConsumerRecord<String, byte[]> dead = topics.awaitRecord(deadLetterTopic(), r -> poisonKey.equals(r.key()), TIMEOUT);
        assertNotNull(header(dead, "dead-letter-reason"), "reason header");
        assertEquals(template.type().topic(), header(dead, "dead-letter-topic"));
        awaitHandled(after);
    }

    @Test
    void exposesHealthAndPrometheusMetrics() {
        String base = service.baseUri().toString();
        given().baseUri(base).get("/q/health/live").then().statusCode(200);
        given().baseUri(base).get("/q/health/ready").then().statusCode(200).body(containsString("\"status\": \"UP\""));
        given().baseUri(base).get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    protected static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
