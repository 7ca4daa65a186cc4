package dev.freshen.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives a Quarkus test (or the application launched by {@code @QuarkusIntegrationTest}) the shared real Kafka broker,
 * with Dev Services off.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "quarkus.kafka.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // the broker is shared by all tests of the JVM and stops with it
    }
}
