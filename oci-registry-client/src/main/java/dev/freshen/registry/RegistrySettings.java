package dev.freshen.registry;

import dev.freshen.retry.RetryPolicy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a {@link RegistryClient} reaches registries.
 *
 * @param insecureHosts                    hosts reached over plain http ({@code host} or {@code host:port}; an entry
 *                                         without port matches every port of that host); all others use https
 * @param credentials                      credentials per registry host as in {@code ImageReference.registry()}
 *                                         (e.g. {@code docker.io}, {@code 127.0.0.1:5000})
 * @param maxConcurrentRequestsPerRegistry requests in flight at once to one host
 * @param requestTimeout                   time allowed for one HTTP request (connect and response)
 * @param retries                          how each request is retried after transient failures (I/O errors,
 *                                         timeouts, 5xx but 501, 429): attempts, first wait, longest wait (which
 *                                         also bounds a {@code Retry-After}, a longer one ending the retries, and
 *                                         the spacing of manifest GETs while a registry's rate limit runs low)
 * @param platform                         {@code os/arch[/variant]} whose manifest {@link RegistryClient#imageConfig}
 *                                         reads from an index
 */
public record RegistrySettings(Set<String> insecureHosts,
                               Map<String, Credentials> credentials,
                               int maxConcurrentRequestsPerRegistry,
                               Duration requestTimeout,
                               RetryPolicy retries,
                               String platform) {

    /**
     * 8 attempts per request, 1 s doubling (half of it random) to at most 30 s between two: the waits add up to
     * between 45.5 s and 91 s, so a registry outage of about a minute is ridden out by the one retry layer of registry
     * requests (see {@code freshen-retry/README.md}).
     */
    public static final RetryPolicy DEFAULT_RETRIES = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(30));

    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9_.-]+/[a-z0-9_.-]+(/[a-z0-9_.-]+)?");

    public RegistrySettings {
        insecureHosts = Set.copyOf(Objects.requireNonNull(insecureHosts, "insecureHosts"));
        credentials = Map.copyOf(Objects.requireNonNull(credentials, "credentials"));
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(platform, "platform");
        if (maxConcurrentRequestsPerRegistry < 1) {
            throw new IllegalArgumentException("maxConcurrentRequestsPerRegistry must be at least 1, got "
                    + maxConcurrentRequestsPerRegistry);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
        }
        if (!PLATFORM.matcher(platform).matches()) {
            throw new IllegalArgumentException("platform must look like os/arch[/variant] (e.g. linux/amd64), got '"
                    + platform + "'");
        }
    }

    /**
     * Plain http for 127.0.0.1 and localhost, no credentials, 4 concurrent requests per registry, 30s per request,
     * {@link #DEFAULT_RETRIES}, platform linux/amd64.
     */
    public static RegistrySettings defaults() {
        return new RegistrySettings(Set.of("127.0.0.1", "localhost"), Map.of(), 4, Duration.ofSeconds(30),
                DEFAULT_RETRIES, "linux/amd64");
    }

    /** These settings plus credentials for {@code registry} (replacing any it had). */
    public RegistrySettings withCredentials(String registry, Credentials registryCredentials) {
        Map<String, Credentials> all = new HashMap<>(credentials);
        all.put(Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(registryCredentials, "credentials"));
        return new RegistrySettings(insecureHosts, all, maxConcurrentRequestsPerRegistry, requestTimeout, retries,
                platform);
    }

    /** These settings with another retry policy. */
    public RegistrySettings withRetries(RetryPolicy policy) {
        return new RegistrySettings(insecureHosts, credentials, maxConcurrentRequestsPerRegistry, requestTimeout, policy,
                platform);
    }

    /** These settings with {@code attempts} per request and {@code firstBackoff}, keeping the longest wait (or raising it to {@code firstBackoff}). */
    public RegistrySettings withRetries(int attempts, Duration firstBackoff) {
        return withRetries(new RetryPolicy(attempts, firstBackoff,
                firstBackoff.compareTo(retries.maxBackoff()) > 0 ? firstBackoff : retries.maxBackoff()));
    }

    /** These settings with another platform for {@link RegistryClient#imageConfig}. */
    public RegistrySettings withPlatform(String newPlatform) {
        return new RegistrySettings(insecureHosts, credentials, maxConcurrentRequestsPerRegistry, requestTimeout,
                retries, newPlatform);
    }

    /** Whether {@code host} ({@code host[:port]}) is reached over plain http. */
    public boolean isInsecure(String host) {
        return insecureHosts.contains(host) || insecureHosts.contains(withoutPort(host));
    }

    /** The credentials configured for a registry host, as in {@code ImageReference.registry()}. */
    public Optional<Credentials> credentialsFor(String registry) {
        return Optional.ofNullable(credentials.get(registry));
    }

    static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 || colon != host.lastIndexOf(':') ? host : host.substring(0, colon);
    }
}
