package dev.freshen.messaging;

import dev.freshen.retry.RetryMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import java.util.List;
import java.util.Objects;

/**
 * Counts the records {@link Inbound} dead-letters: Prometheus {@code freshen_dead_letters_total{service,reason}}, with
 * {@code reason} {@value #INVALID_EVENT} (the record could not be decoded: malformed JSON, unknown type, missing field)
 * or {@value #HANDLER_FAILED} (the service's handler threw; a run-ending stage has ended the run as failed first).
 * {@code service} is added by {@link RetryMetrics#serviceTag}. Both reasons are {@link #registerKnown registered} at
 * start-up with 0, so that the counter is scrapeable, and {@code increase()} sees the first dead letter, before
 * there is one. Thread-safe.
 */
public final class DeadLetterMetrics {

    /** The record could not be decoded. */
    public static final String INVALID_EVENT = "invalid-event";
    /** The handler threw. */
    public static final String HANDLER_FAILED = "handler-failed";
    /** Every reason, in the order the docs list them. */
    public static final List<String> REASONS = List.of(INVALID_EVENT, HANDLER_FAILED);

    private static final DeadLetterMetrics GLOBAL = new DeadLetterMetrics(Metrics.globalRegistry);

    private final MeterRegistry registry;

    public DeadLetterMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Counting in Micrometer's global registry (Quarkus's registries, served at {@code /q/metrics}). */
    public static DeadLetterMetrics global() {
        return GLOBAL;
    }

    /** Registers the counter of every reason, at 0 until something is dead-lettered. */
    public void registerKnown() {
        REASONS.forEach(this::counter);
    }

    /** Counts one dead-lettered record. */
    public void deadLettered(String reason) {
        counter(reason).increment();
    }

    private Counter counter(String reason) {
        return Counter.builder(RetryMetrics.DEAD_LETTERS)
                .description("Records sent to the service's dead-letter topic, by reason")
                .tag("reason", reason)
                .register(registry);
    }
}
