package dev.freshen.tester.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the earlier test outcomes have been read: before that, a redelivered run could be tested twice. */
@Readiness
@ApplicationScoped
public class TestOutcomeReadiness implements HealthCheck {

    @Inject
    TestOutcomeFeed feed;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("test-outcomes").status(feed.caughtUp()).build();
    }
}
