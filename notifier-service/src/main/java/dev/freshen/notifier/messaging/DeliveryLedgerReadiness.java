package dev.freshen.notifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the delivery records have been read: before that, a redelivered event could be announced twice. */
@Readiness
@ApplicationScoped
public class DeliveryLedgerReadiness implements HealthCheck {

    @Inject
    KafkaDeliveryLedger ledger;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("delivery-records").status(ledger.caughtUp()).build();
    }
}
