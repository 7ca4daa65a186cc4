package dev.freshen.messaging;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TracingSwitchTest {

    @Test
    void withoutAnEndpointTracingIsOff() {
        assertEquals("true", disabled(Map.of(), Map.of()));
        assertEquals("true", disabled(Map.of(TracingSwitch.ENDPOINT, " "), Map.of()));
    }

    @Test
    void anEndpointTurnsItOn() {
        assertEquals("false", disabled(Map.of(TracingSwitch.ENDPOINT, "http://collector:4317"), Map.of()));
        assertEquals("false", disabled(Map.of(TracingSwitch.TRACES_ENDPOINT, "http://127.0.0.1:4318"), Map.of()));
    }

    @Test
    void anExplicitSettingWins() {
        assertEquals("true", disabled(Map.of(TracingSwitch.ENDPOINT, "http://collector:4317"),
                Map.of(TracingSwitch.SDK_DISABLED, "true")));
    }

    /** quarkus.otel.sdk.disabled with {@code environment} (ordinal 300) and {@code properties} (250) set. */
    private static String disabled(Map<String, String> environment, Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(environment, "environment", 300))
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new TracingSwitch())
                .build();
        return config.getRawValue(TracingSwitch.SDK_DISABLED);
    }
}
