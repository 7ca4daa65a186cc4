package dev.freshen.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Hands its init args to the application as configuration, e.g. for {@code @QuarkusIntegrationTest}. */
public class StaticConfig implements QuarkusTestResourceLifecycleManager {

    private Map<String, String> config = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        config = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        return config;
    }

    @Override
    public void stop() {
        // nothing to stop
    }
}
