package dev.freshen.messaging;

import dev.freshen.retry.RetryMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes the shared metrics of every service complete: Quarkus applies the produced filter to its registries, adding
 * {@code service=<quarkus.application.name>} (e.g. {@code freshen-builder}, the name of the service's Kubernetes
 * Service too) to {@code freshen_retries_total} and {@code freshen_dead_letters_total}; and at start-up the
 * dead-letter counters are registered with 0 ({@link DeadLetterMetrics#registerKnown}).
 */
@Singleton
public class ServiceMeterTags {

    @Produces
    @Singleton
    MeterFilter serviceTag(@ConfigProperty(name = "quarkus.application.name") String service) {
        return RetryMetrics.serviceTag(service);
    }

    void onStart(@Observes StartupEvent start) {
        DeadLetterMetrics.global().registerKnown();
    }
}
