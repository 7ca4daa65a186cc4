package dev.freshen.ecr;

import com.sun.net.httpserver.HttpServer;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.HtpasswdRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code AWS_PROFILE} naming a profile with an IAM Identity Center (SSO) session, as {@code aws configure sso} writes it
 * and {@code aws sso login} caches its token, through the AWS default credentials chain that every service uses
 * ({@link EcrClients}): the SDK reads the session's cached token from {@code ~/.aws/sso/cache/<sha1(session)>.json},
 * trades it for role credentials at the SSO portal ({@code GetRoleCredentials}) and signs ECR requests with them.
 *
 * <p>The portal is a local double ({@code GET /federation/credentials}, reached through the SDK's
 * {@code aws.endpointUrlSso} override) and the ECR API is {@link EcrApiServer}; real IAM Identity Center is not
 * reachable here. Failsafe gives this JVM a {@code HOME} under {@code target/}, so nothing touches the user's
 * {@code ~/.aws}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SsoProfileIT {

    private static final String PROFILE = "freshen-sso";
    private static final String SESSION = "corp";
    private static final String ROLE = "FreshenPublisher";
    private static final String ROLE_KEY = "ASIAFRESHENSSO000001";
    private static final String ROLE_SECRET = "sso-role-secret-" + UUID.randomUUID();
    private static final String ACCESS_TOKEN = "sso-access-token-" + UUID.randomUUID();
    private static final List<String> SYSTEM_PROPERTIES = List.of("aws.profile", "aws.configFile",
            "aws.sharedCredentialsFile", "aws.endpointUrlSso", "aws.accessKeyId", "aws.secretAccessKey",
            "aws.sessionToken", "aws.disableEc2Metadata");

    private final Map<String, String> saved = new HashMap<>();
    private final List<String> portalRequests = new CopyOnWriteArrayList<>();
    private HttpServer portal;
    private HtpasswdRegistry registry;
    private EcrApiServer ecr;

    @BeforeAll
    void start() throws IOException {
        Path home = Path.of(System.getenv().getOrDefault("HOME", ""));
        assumeTrue(home.endsWith(Path.of("target", "sso-home")), "run through Maven: failsafe points HOME at target/sso-home");
        Path aws = Files.createDirectories(home.resolve(".aws"));
        Files.writeString(aws.resolve("config"), """
                [profile %s]
                sso_session = %s
                sso_account_id = %s
                sso_role_name = %s
                region = %s

                [sso-session %s]
                sso_start_url = https://freshen-test.awsapps.com/start
                sso_region = %s
                sso_registration_scopes = sso:account:access
                """.formatted(PROFILE, SESSION, EcrApiServer.ACCOUNT_ID, ROLE, EcrApiServer.REGION, SESSION,
                EcrApiServer.REGION));
        Files.writeString(aws.resolve("credentials"), "");
        Path cache = Files.createDirectories(aws.resolve("sso/cache"));
        Files.writeString(cache.resolve(sha1(SESSION) + ".json"), """
                {"startUrl": "https://freshen-test.awsapps.com/start", "region": "%s", "accessToken": "%s",
                 "expiresAt": "%s", "clientId": "freshen-test-client", "clientSecret": "freshen-test-client-secret",
                 "registrationExpiresAt": "%s", "refreshToken": "freshen-test-refresh-token"}
                """.formatted(EcrApiServer.REGION, ACCESS_TOKEN, Instant.now().plus(Duration.ofHours(8)),
                Instant.now().plus(Duration.ofDays(80))));

        portal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        portal.createContext("/federation/credentials", exchange -> {
            try (exchange) {
                portalRequests.add(exchange.getRequestURI().getRawQuery() + " bearer="
                        + exchange.getRequestHeaders().getFirst("x-amz-sso_bearer_token"));
                byte[] body = """
                        {"roleCredentials": {"accessKeyId": "%s", "secretAccessKey": "%s", "sessionToken": "sso-session-%s",
                         "expiration": %d}}
                        """.formatted(ROLE_KEY, ROLE_SECRET, UUID.randomUUID(),
                        Instant.now().plus(Duration.ofHours(1)).toEpochMilli()).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        portal.start();

        for (String key : SYSTEM_PROPERTIES) {
            saved.put(key, System.getProperty(key));
            System.clearProperty(key); // other ITs in this JVM set static keys, which the chain would take first
        }
        System.setProperty("aws.profile", PROFILE);
        System.setProperty("aws.configFile", aws.resolve("config").toString());
        System.setProperty("aws.sharedCredentialsFile", aws.resolve("credentials").toString());
        System.setProperty("aws.endpointUrlSso", "http://127.0.0.1:" + portal.getAddress().getPort());
        System.setProperty("aws.disableEc2Metadata", "true");

        registry = HtpasswdRegistry.start("AWS", "sso-registry-password");
        ecr = EcrApiServer.start(registry, "AWS", "sso-registry-password",
                new EcrApiServer.Principal("sso-user", ROLE_KEY, ROLE_SECRET));
    }

    @AfterAll
    void stop() {
        saved.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        if (ecr != null) {
            ecr.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (portal != null) {
            portal.stop(0);
        }
    }

    @Test
    void anSsoProfileLogsInToEcrThroughTheDefaultChain() {
        EcrCredentials credentials = new EcrCredentials(host -> EcrClients.create(Optional.of(EcrApiServer.REGION),
                Optional.of(ecr.endpoint()), Duration.ofSeconds(10), RetryPolicy.once()),
                Set.of(ecr.registryHost()), Optional.of(EcrApiServer.ACCOUNT_ID), Clock.systemUTC());

        assertEquals("AWS", credentials.credentialsFor(ecr.registryHost()).orElseThrow().username());
        assertEquals(1, portalRequests.size(), portalRequests.toString());
        String request = portalRequests.get(0);
        assertTrue(request.contains("role_name=" + ROLE) && request.contains("account_id=" + EcrApiServer.ACCOUNT_ID)
                && request.endsWith("bearer=" + ACCESS_TOKEN), "the cached token was traded for the role: " + request);
        assertEquals(Set.of("ecr:GetAuthorizationToken"), ecr.recording().of("sso-user").keySet(),
                "GetAuthorizationToken was signed with the role credentials from SSO");
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
