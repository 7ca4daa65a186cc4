package dev.freshen.watcher.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the run ledger has read the run topics: before that, a check could start a duplicate run. */
@Readiness
@ApplicationScoped
public class RunLedgerReadiness implements HealthCheck {

    @Inject
    RunLedgerFeed feed;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("run-ledger").status(feed.caughtUp()).build();
    }
}
