package dev.freshen.registry;

import dev.freshen.retry.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistrySettingsTest {

    @Test
    void defaults() {
        RegistrySettings settings = RegistrySettings.defaults();

        assertEquals(Set.of("127.0.0.1", "localhost"), settings.insecureHosts());
        assertEquals(Map.of(), settings.credentials());
        assertEquals(4, settings.maxConcurrentRequestsPerRegistry());
        assertEquals(Duration.ofSeconds(30), settings.requestTimeout());
        assertEquals(new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(30)), settings.retries());
        assertEquals("linux/amd64", settings.platform());
    }

    @Test
    void insecureHostMatchIgnoresThePortOnlyWhenTheEntryHasNone() {
        RegistrySettings settings = new RegistrySettings(Set.of("127.0.0.1", "registry.local:5000", "[::1]"), Map.of(),
                1, Duration.ofSeconds(1), RetryPolicy.once(), "linux/arm64/v8");

        assertTrue(settings.isInsecure("127.0.0.1"));
        assertTrue(settings.isInsecure("127.0.0.1:5000"));
        assertTrue(settings.isInsecure("registry.local:5000"));
        assertFalse(settings.isInsecure("registry.local:5001"));
        assertFalse(settings.isInsecure("registry.local"));
        assertTrue(settings.isInsecure("[::1]:5000"));
        assertFalse(settings.isInsecure("docker.io"));
        assertFalse(settings.isInsecure("127.0.0.10:5000"));
    }

    @Test
    void credentialsPerRegistryAndNeverShowingThePassword() {
        Credentials credentials = new Credentials("robot", "s3cr3t-Pa55");
        RegistrySettings settings = RegistrySettings.defaults().withCredentials("docker.io", credentials);

        assertEquals(Optional.of(credentials), settings.credentialsFor("docker.io"));
        assertEquals(Optional.empty(), settings.credentialsFor("registry-1.docker.io"));
        assertEquals("Credentials[username=robot, password=***]", credentials.toString());
        assertFalse(settings.toString().contains("s3cr3t-Pa55"));
        assertEquals("Basic cm9ib3Q6czNjcjN0LVBhNTU=", credentials.basicAuthorization());
    }

    @Test
    void rejectsUnusableValues() {
        RegistrySettings d = RegistrySettings.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withRetries(0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.withRetries(1, Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> d.withPlatform("amd64"));
        assertThrows(IllegalArgumentException.class, () -> new RegistrySettings(Set.of(), Map.of(), 0,
                Duration.ofSeconds(1), RetryPolicy.once(), "linux/amd64"));
        assertThrows(IllegalArgumentException.class, () -> new RegistrySettings(Set.of(), Map.of(), 1,
                Duration.ZERO, RetryPolicy.once(), "linux/amd64"));
    }
}
