package dev.freshen.retry;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetryMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void everyRetryIsCountedByOperationAndReasonAndGivingUpIsNotARetry() {
        Retry retry = Retry.of(new RetryPolicy(3, Duration.ZERO, Duration.ZERO), e -> true)
                .operation("registry-request")
                .listener(r -> { })
                .countedIn(new RetryMetrics(registry));

        assertThrows(UncheckedIOException.class, () -> retry.run("HEAD /v2/a/manifests/1", () -> {
            throw new UncheckedIOException(new ConnectException("Connection refused"));
        }));

        assertEquals(2.0, registry.get("freshen.retries").tag("operation", "registry-request")
                .tag("reason", "connection-refused").counter().count());
    }

    @Test
    void aCallerCodeNamesTheReasonAndASuccessAfterARetryCountsOne() {
        int[] calls = {0};
        Retry retry = Retry.of(new RetryPolicy(3, Duration.ZERO, Duration.ZERO), e -> true)
                .operation("publish")
                .reasonedBy(e -> "version-race")
                .listener(r -> { })
                .countedIn(new RetryMetrics(registry));

        retry.run("publish of run r1", () -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("lost");
            }
        });

        assertEquals(1.0, registry.get("freshen.retries").tags("operation", "publish", "reason", "version-race")
                .counter().count());
    }

    @Test
    void reasonsAreBoundedCodesWithoutHostsOrMessages() {
        assertEquals("connection-refused",
                RetryMetrics.reason(new RuntimeException("x", new ConnectException("refused"))));
        assertEquals("unknown-host", RetryMetrics.reason(new UnknownHostException("registry.example.com")));
        assertEquals("tls-error", RetryMetrics.reason(new SSLException("bad record mac")));
        assertEquals("other", RetryMetrics.reason(new IllegalStateException("HTTP 503 from registry.example.com")));
    }

    @Test
    void theServiceTagGoesOnRetriesAndDeadLettersOnly() {
        registry.config().meterFilter(RetryMetrics.serviceTag("freshen-builder"));

        new RetryMetrics(registry).retried("build", "other");
        registry.counter(RetryMetrics.DEAD_LETTERS, "reason", "invalid-event").increment();
        registry.counter("freshen.runs", "outcome", "failed").increment();

        assertEquals(1.0, registry.get("freshen.retries").tag("service", "freshen-builder").counter().count());
        assertEquals(1.0, registry.get("freshen.dead.letters").tag("service", "freshen-builder").counter().count());
        assertNull(registry.get("freshen.runs").counter().getId().getTag("service"));
    }
}
