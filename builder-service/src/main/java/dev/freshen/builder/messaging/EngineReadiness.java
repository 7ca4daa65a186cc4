package dev.freshen.builder.messaging;

import dev.freshen.docker.EngineWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Docker engine answers ({@link EngineGate}): without it the builder takes no new work. The check
 * named {@code docker-engine} says in its {@code engine} entry which engine and, when it is away, why ("Docker engine
 * at unix:///var/run/docker.sock not reachable: connection refused"). Liveness is not affected: a restart would not
 * bring the engine back.
 */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {

    @Inject
    EngineGate gate;

    @Override
    public HealthCheckResponse call() {
        EngineWatch.Health health = gate.health();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("docker-engine");
        if (health == null) {
            return response.up().build(); // not watched yet: the start-up check found the engine
        }
        response.status(health.up()).withData("engine", health.describe());
        if (!health.up()) {
            response.withData("since", health.since().toString()).withData("effect", gate.effect());
        }
        return response.build();
    }
}
