package dev.freshen.registry;

import java.util.Map;
import java.util.Objects;

/**
 * Traffic of one {@link RegistryClient} since it was created: every HTTP exchange counts (retries, token requests and
 * redirects included); bytes are response and request bodies.
 *
 * @param perHost the same counters per host ({@code host[:port]} as contacted); their own {@code perHost} is empty
 */
public record RegistryStats(long requests, long bytesReceived, long bytesSent, Map<String, RegistryStats> perHost) {

    public RegistryStats {
        perHost = Map.copyOf(Objects.requireNonNull(perHost, "perHost"));
    }

    public RegistryStats(long requests, long bytesReceived, long bytesSent) {
        this(requests, bytesReceived, bytesSent, Map.of());
    }

    /** The counters of one host, zero when it was never contacted. */
    public RegistryStats forHost(String host) {
        return perHost.getOrDefault(host, new RegistryStats(0, 0, 0));
    }
}
