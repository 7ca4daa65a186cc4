package dev.freshen.watcher;

import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.KafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The packaged watcher, as its own process, against the real Kafka broker. */
@QuarkusIntegrationTest
@WithTestResource(KafkaResource.class)
class WatcherIT {

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
    void forceUpdateThroughRestLandsOnKafka() {
        String runId = given().contentType(ContentType.JSON).body("{\"reason\":\"Dockerfile changed\"}")
                .post("/api/v1/images/net10/runtime/force-update")
                .then().statusCode(202).extract().path("runId");

        ForceUpdateRequested event = topics.awaitEvent(ForceUpdateRequested.class, e -> e.runId().equals(runId),
                Duration.ofSeconds(30));
        assertEquals("net10/runtime", event.imageId());
        assertEquals("Dockerfile changed", event.reason());
    }

    @Test
    void rejectsImageIdsThatEscape() {
        given().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .post("/api/v1/images/net10/%2E%2E/etc/force-update")
                .then().statusCode(400).body(containsString("may not contain '.' or '..' segments"));
        given().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .post("/api/v1/images/net10/%2e%2e%2fetc/force-update")
                .then().statusCode(400);
        given().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .post("/api/v1/images/%2Fetc%2Fpasswd/force-update")
                .then().statusCode(400);
    }

    @Test
    void exposesHealthMetricsAndOpenApi() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("\"status\": \"UP\""));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/images/{id}/force-update"));
    }
}
