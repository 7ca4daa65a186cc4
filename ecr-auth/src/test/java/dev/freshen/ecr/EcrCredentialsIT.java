package dev.freshen.ecr;

import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistryException;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.HtpasswdRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ECR registry credentials from GetAuthorizationToken, against the ECR API double and the real registry behind it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EcrCredentialsIT {

    private static final String ACCESS_KEY = "AKIAFRESHENTEST00001";
    private static final String SECRET_KEY = "freshen-test-secret-key-0000000000000000";

    private HtpasswdRegistry registry;
    private EcrApiServer ecr;

    @BeforeAll
    void start() {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        System.setProperty("aws.disableEc2Metadata", "true");
        registry = HtpasswdRegistry.start("AWS", "token-password-1");
        ecr = EcrApiServer.start(registry, "AWS", "token-password-1", ACCESS_KEY, SECRET_KEY);
    }

    @AfterAll
    void stop() {
        ecr.close();
        registry.close();
    }

    @Test
    void aRegistryClientLogsInWithTheTokenAndFetchesItOnceWhileItIsFresh() {
        EcrCredentials credentials = credentials(Clock.systemUTC());
        RegistryClient client = new RegistryClient(RegistrySettings.defaults(), credentials);
        assertEquals(List.of(), client.tags(ecr.registryHost(), "platform/nothing-yet"), "authenticated: an empty list, not a 401");
        client.tags(ecr.registryHost(), "platform/other");
        assertEquals(1, ecr.calls("GetAuthorizationToken").size(), "one token for both calls");
        assertEquals("AWS", client.credentialsFor(ecr.registryHost()).orElseThrow().username());

        var anonymous = new RegistryClient(RegistrySettings.defaults());
        var e = assertThrows(RegistryException.class, () -> anonymous.tags(ecr.registryHost(), "platform/nothing-yet"));
        assertEquals(401, e.status(), "without the ECR login the same registry refuses");
    }

    @Test
    void aTokenCloseToExpiryIsFetchedAgain() {
        Clock in11Hours = Clock.offset(Clock.systemUTC(), Duration.ofHours(11).plusMinutes(1));
        Instant now = Instant.now();
        int before = ecr.calls("GetAuthorizationToken").size();
        EcrCredentials fresh = credentials(Clock.fixed(now, ZoneOffset.UTC));
        fresh.credentialsFor(ecr.registryHost());
        fresh.credentialsFor(ecr.registryHost());
        assertEquals(before + 1, ecr.calls("GetAuthorizationToken").size());
        EcrCredentials late = new EcrCredentials(host -> client(), Set.of(ecr.registryHost()),
                Optional.of(EcrApiServer.ACCOUNT_ID), in11Hours);
        late.credentialsFor(ecr.registryHost());
        late.credentialsFor(ecr.registryHost());
        assertEquals(before + 3, ecr.calls("GetAuthorizationToken").size(), "less than an hour left: fetched each time");
    }

    @Test
    void otherRegistriesAreNotAskedAbout() {
        assertFalse(credentials(Clock.systemUTC()).credentialsFor("registry.example.com").isPresent());
        assertTrue(EcrClients.accountOf("123456789012.dkr.ecr.eu-west-1.amazonaws.com").isPresent());
    }

    @Test
    void aDeniedTokenRequestIsAClearNonTransientFailure() {
        ecr.deny("GetAuthorizationToken");
        try {
            var e = assertThrows(RegistryException.class, () -> credentials(Clock.systemUTC()).credentialsFor(ecr.registryHost()));
            assertEquals("AccessDeniedException", e.code());
            assertFalse(e.isTransient());
            assertTrue(e.getMessage().startsWith("cannot get an ECR authorization token for " + ecr.registryHost()), e.getMessage());
        } finally {
            ecr.allow("GetAuthorizationToken");
        }
    }

    @Test
    void throttlingIsRetriedByTheSdkPerCallWithTheRegistriesRetryPolicy() {
        ecr.throttle("GetAuthorizationToken", 2);
        int before = ecr.calls("GetAuthorizationToken").size();
        var sdk = EcrClients.create(Optional.of(EcrApiServer.REGION), Optional.of(ecr.endpoint()), Duration.ofSeconds(10),
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)));
        var credentials = new EcrCredentials(host -> sdk, Set.of(registry.host()), Optional.of(EcrApiServer.ACCOUNT_ID),
                Clock.systemUTC());

        assertEquals("AWS", credentials.credentialsFor(registry.host()).orElseThrow().username());
        List<EcrApiServer.Call> calls = ecr.calls("GetAuthorizationToken");
        assertEquals(3, calls.size() - before, "two throttled calls, then the token");
    }

    @Test
    void theSdkGivesUpAfterMaxAttempts() {
        ecr.throttle("GetAuthorizationToken", 5);
        int before = ecr.calls("GetAuthorizationToken").size();
        var sdk = EcrClients.create(Optional.of(EcrApiServer.REGION), Optional.of(ecr.endpoint()), Duration.ofSeconds(10),
                new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50)));
        var credentials = new EcrCredentials(host -> sdk, Set.of(registry.host()), Optional.of(EcrApiServer.ACCOUNT_ID),
                Clock.systemUTC());
        try {
            var e = assertThrows(RegistryException.class, () -> credentials.credentialsFor(registry.host()));
            assertTrue(e.isTransient(), e.getMessage());
            assertEquals(2, ecr.calls("GetAuthorizationToken").size() - before);
        } finally {
            ecr.throttle("GetAuthorizationToken", 0);
        }
    }

    private EcrCredentials credentials(Clock clock) {
        return new EcrCredentials(host -> client(), Set.of(ecr.registryHost()), Optional.of(EcrApiServer.ACCOUNT_ID), clock);
    }

    private software.amazon.awssdk.services.ecr.EcrClient client() {
        return EcrClients.create(Optional.of(EcrApiServer.REGION), Optional.of(ecr.endpoint()), Duration.ofSeconds(10),
                RetryPolicy.once());
    }
}
