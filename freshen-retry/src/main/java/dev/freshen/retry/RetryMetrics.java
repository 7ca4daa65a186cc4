package dev.freshen.retry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Counts every retry {@link Retry} makes: Prometheus {@code freshen_retries_total{service,operation,reason}}.
 * {@code operation} is the runner's {@link Retry#operation} ({@code registry-request}, {@code build}, {@code test},
 * {@code publish}, {@code notification}); {@code reason} a short, bounded code of the failure ({@link #reason}, or the
 * runner's {@link Retry#reasonedBy}). The {@code service} label is not known here: {@link #serviceTag} adds it to
 * this counter and to {@code freshen_dead_letters_total} in every registry of a service (freshen-messaging's
 * {@code ServiceMeterTags} does so with {@code quarkus.application.name}, e.g. {@code freshen-builder}).
 *
 * <p>Thread-safe. {@link #global()} counts in Micrometer's global registry, which in a Quarkus service holds the
 * Prometheus registry served at {@code /q/metrics}; outside a service (the CLI, plain tests) it counts nowhere.
 */
public final class RetryMetrics {

    /** Micrometer's name; Prometheus shows {@code freshen_retries_total}. */
    public static final String RETRIES = "freshen.retries";
    /** The name of the dead-letter counter (counted in freshen-messaging), also tagged by {@link #serviceTag}. */
    public static final String DEAD_LETTERS = "freshen.dead.letters";
    /** The reason of a failure none of the known codes fits. */
    public static final String OTHER = "other";

    private static final Set<String> SERVICE_TAGGED = Set.of(RETRIES, DEAD_LETTERS);
    private static final RetryMetrics GLOBAL = new RetryMetrics(Metrics.globalRegistry);

    private final MeterRegistry registry;

    public RetryMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Counting in Micrometer's global registry. */
    public static RetryMetrics global() {
        return GLOBAL;
    }

    /** Counts one retry of {@code operation} after a failure of kind {@code reason}. */
    public void retried(String operation, String reason) {
        Counter.builder(RETRIES)
                .description("Retries made by Freshen's retry runner, by operation and failure reason")
                .tag("operation", operation)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /**
     * The reason code of a failure for metrics: for the usual network failures anywhere in the cause chain the words
     * of {@link Failures#plainWords} as a code ({@code connection-refused}, {@code connection-timed-out},
     * {@code request-timed-out}, {@code read-timed-out}, {@code unknown-host}, {@code no-route-to-host},
     * {@code tls-handshake-failed}, {@code tls-error}, {@code connection-closed}, {@code connection-reset}); else
     * {@value #OTHER}. Never a host name or a message, so the label stays bounded.
     */
    public static String reason(Throwable failure) {
        return reason(failure, OTHER);
    }

    /** {@link #reason(Throwable)}, with {@code otherwise} instead of {@value #OTHER} (e.g. {@code docker-engine}). */
    public static String reason(Throwable failure, String otherwise) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String known = Failures.known(t);
            if (known != null) {
                String words = known.startsWith("unknown host") ? "unknown host"
                        : known.startsWith("TLS error") ? "TLS error" : known;
                return words.toLowerCase(Locale.ROOT).replace(' ', '-');
            }
        }
        return otherwise;
    }

    /**
     * A filter that adds {@code service=<service>} to {@value #RETRIES} and {@value #DEAD_LETTERS} (when they do not
     * carry it already), for a service to apply to its registries before anything is counted.
     */
    public static MeterFilter serviceTag(String service) {
        Objects.requireNonNull(service, "service");
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return SERVICE_TAGGED.contains(id.getName()) && id.getTag("service") == null
                        ? id.withTag(Tag.of("service", service)) : id;
            }
        };
    }
}
