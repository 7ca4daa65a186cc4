package dev.freshen.messaging;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Turns OpenTelemetry tracing on only where an OTLP endpoint is configured, so that a service without one neither
 * records spans nor tries to export them to the exporter's default {@code localhost:4317}. Sets
 * {@value #SDK_DISABLED} to {@code false} when {@value #ENDPOINT} or {@value #TRACES_ENDPOINT} has a value (e.g.
 * {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317}), else to {@code true}. Its ordinal is below
 * {@code application.properties}, so an explicit {@value #SDK_DISABLED} anywhere still wins. Registered through
 * {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}; see docs/observability.md.
 */
public final class TracingSwitch implements ConfigSourceFactory {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final String ENDPOINT = "quarkus.otel.exporter.otlp.endpoint";
    static final String TRACES_ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
    /** Below application.properties in the classpath (250), above the extension defaults. */
    static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean endpoint = hasValue(context.getValue(ENDPOINT)) || hasValue(context.getValue(TRACES_ENDPOINT));
        return List.of(new PropertiesConfigSource(Map.of(SDK_DISABLED, String.valueOf(!endpoint)),
                "freshen tracing switch (an OTLP endpoint turns tracing on)", ORDINAL));
    }

    private static boolean hasValue(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
