package dev.freshen.builder.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the earlier build outcomes have been read: before that, a redelivered run could be built twice. */
@Readiness
@ApplicationScoped
public class BuildOutcomeReadiness implements HealthCheck {

    @Inject
    BuildOutcomeFeed feed;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("build-outcomes").status(feed.caughtUp()).build();
    }
}
