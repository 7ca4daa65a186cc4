package dev.freshen.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * For {@code @QuarkusTest} wiring tests: switches the channels named in the {@code incoming} and {@code outgoing}
 * init args (comma-separated) to SmallRye's in-memory connector. Channel names contain dots (they equal the topic
 * names), so the configuration keys quote them.
 */
public class InMemoryChannels implements QuarkusTestResourceLifecycleManager {

    private String[] incoming = {};
    private String[] outgoing = {};

    @Override
    public void init(Map<String, String> initArgs) {
        incoming = split(initArgs.get("incoming"));
        outgoing = split(initArgs.get("outgoing"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        for (String channel : incoming) {
            config.put("mp.messaging.incoming.\"" + channel + "\".connector", InMemoryConnector.CONNECTOR);
        }
        for (String channel : outgoing) {
            config.put("mp.messaging.outgoing.\"" + channel + "\".connector", InMemoryConnector.CONNECTOR);
        }
        config.put("quarkus.kafka.devservices.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }

    private static String[] split(String value) {
        return value == null || value.isBlank() ? new String[0]
                : Arrays.stream(value.split(",")).map(String::strip).toArray(String[]::new);
    }
}
