package dev.freshen.faults;

import dev.freshen.events.EventType;
import dev.freshen.events.Topics;
import dev.freshen.testing.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watcher's API refuses what it must, and no configured secret ends up in a log or an event. Runs last, so the
 * logs and topics it searches hold everything the other scenarios did.
 */
@Order(6)
class SecurityIT {

    private static final String IMAGE = "faults/security";
    private static FaultStack stack;

    @BeforeAll
    static void up() {
        stack = FaultStack.shared();
        stack.addImage(IMAGE, "dotnet/runtime:10.0", "", "teams");
    }

    @Test
    void theApiRejectsMissingOrWrongKeysUnknownImagesAndPathTricks() throws Exception {
        ScenarioReport.run("security: API keys, unknown images, path tricks", () -> {
            String base = stack.service("watcher").baseUri().toString();
            for (String action : List.of("check", "force-update")) {
                String path = "/api/v1/images/" + IMAGE + "/" + action;
                given().baseUri(base).post(path).then().statusCode(401);
                given().baseUri(base).header("Authorization", "Bearer wrong-" + FaultStack.API_KEY).post(path)
                        .then().statusCode(401);
                stack.api().post("/api/v1/images/faults/no-such-image/" + action).then().statusCode(404);
                for (String trick : List.of("faults/..%2F..%2Fetc", "..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd",
                        "faults/%2e%2e/security")) {
                    stack.api().urlEncodingEnabled(false).post("/api/v1/images/" + trick + "/" + action)
                            .then().statusCode(400);
                }
            }
            return "401 x4, 404 x2, 400 x8";
        });
    }

    @Test
    void noSecretAppearsInAnyServiceLogOrEvent() throws Exception {
        ScenarioReport.run("security: no secret in logs or events", () -> {
            // one more full run, so that every service has used every secret it holds
            stack.awaitPublished(stack.forceUpdate(IMAGE, "secrets check"));
            Map<String, String> secrets = Map.of("API key", FaultStack.API_KEY,
                    "registry password", FaultStack.REGISTRY_PASSWORD,
                    "Teams URL", FaultStack.TEAMS_PATH.substring(1),
                    "AWS secret key", FaultStack.AWS_SECRET_KEY);
            long logBytes = 0;
            for (Map.Entry<String, ServiceProcess> service : stack.services.entrySet()) {
                String log = service.getValue().logText();
                logBytes += log.length();
                secrets.forEach((what, value) -> assertTrue(!log.contains(value),
                        "the " + what + " is in the log of " + service.getKey() + ": " + service.getValue().log()));
            }
            List<String> topics = new ArrayList<>(Arrays.stream(EventType.values()).map(EventType::topic).toList());
            topics.addAll(List.of(Topics.WATCHER_DLQ, Topics.BUILDER_DLQ, Topics.TESTER_DLQ, Topics.PUBLISHER_DLQ,
                    Topics.NOTIFIER_DLQ, "freshen.notifier.deliveries", "freshen.dlq-replays"));
            int records = 0;
            for (String topic : topics) {
                for (ConsumerRecord<String, byte[]> record : stack.topics.readAll(topic)) {
                    records++;
                    String text = record.key() + new String(record.value() == null ? new byte[0] : record.value(),
                            StandardCharsets.UTF_8) + headers(record);
                    secrets.forEach((what, value) -> assertTrue(!text.contains(value),
                            "the " + what + " is in a record of " + topic + " at offset " + record.offset()));
                }
            }
            assertTrue(records > 0 && logBytes > 0, "something was searched");
            return "searched " + logBytes / 1024 + " KiB of logs, " + records + " records, " + secrets.size() + " secrets";
        });
    }

    private static String headers(ConsumerRecord<String, byte[]> record) {
        StringBuilder text = new StringBuilder();
        for (Header header : record.headers()) {
            text.append(header.key()).append('=').append(header.value() == null ? ""
                    : new String(header.value(), StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
