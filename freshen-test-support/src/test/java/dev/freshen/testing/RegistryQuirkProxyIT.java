package dev.freshen.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.testing.MultiArchBase.Published;
import dev.freshen.testing.MultiArchBase.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry quirk proxy at the HTTP level (what each profile answers) and under dockerd (pulls through it). The
 * same profiles through Freshen's registry client are tested in oci-registry-client ({@code QuirkProfilesIT}).
 */
class RegistryQuirkProxyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ACCEPT = MultiArchBase.INDEX_TYPE + ", " + MultiArchBase.MANIFEST_TYPE;
    private static LocalRegistry registry;
    private static Published base;
    private static final List<String> pulled = new ArrayList<>();

    @BeforeAll
    static void seed() {
        registry = LocalRegistry.start();
        MultiArchBase fixture = new MultiArchBase(registry.host(), "dotnet/runtime");
        base = fixture.publish("10.0", Variant.initial());
        for (int i = 1; i <= 5; i++) {
            fixture.publishSingle("10.0." + i, "A1");
        }
    }

    @AfterAll
    static void stop() {
        DockerEngine.removeImages(pulled);
        registry.close();
    }

    @Test
    void dockerPullsAndPushesThroughTheMcrProfile() throws Exception {
        DockerEngine.requireRunning();
        try (RegistryQuirkProxy mcr = RegistryQuirkProxy.start(QuirkProfile.MCR, registry.baseUri())) {
            Published revision = new MultiArchBase(registry.host(), "dotnet/aspnet").publish("10.0", Variant.initial().withAmd64("mcr-pull"));
            String image = mcr.host() + "/dotnet/aspnet@" + revision.digest();
            pulled.add(image);

            DockerEngine.docker("pull", image);

            assertEquals("mcr-pull", DockerEngine.docker("run", "--rm", image, "cat", "/etc/freshen-revision"));
            assertTrue(mcr.count("GET", "/v2/dotnet/aspnet/blobs/sha256:.*") >= 1, mcr.requests().toString());
            assertTrue(mcr.requests().stream().noneMatch(r -> r.status() == 401), mcr.requests().toString());

            // a new layer, so that the push uploads (POST, PATCH, PUT with the Location the proxy rewrote)
            String container = "freshen-quirk-" + mcr.host().replace(':', '-').replace('.', '-');
            String pushed = mcr.host() + "/platform/aspnet:1.0.0";
            DockerEngine.docker("run", "--name", container, image, "sh", "-c", "echo pushed > /etc/freshen-pushed");
            try {
                DockerEngine.docker("commit", container, pushed);
            } finally {
                DockerEngine.docker("rm", "--force", container);
            }
            pulled.add(pushed);
            DockerEngine.docker("push", pushed);

            assertTrue(mcr.count("PATCH", "/v2/platform/aspnet/blobs/uploads/.*") >= 1, mcr.requests().toString());
            assertTrue(mcr.requests().stream().anyMatch(r -> r.method().equals("PUT") && r.status() == 201
                    && r.path().equals("/v2/platform/aspnet/manifests/1.0.0")), mcr.requests().toString());
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(registry.baseUri() + "/v2/platform/aspnet/manifests/1.0.0"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header("Accept", ACCEPT + ", application/vnd.docker.distribution.manifest.v2+json").build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "the backend holds what dockerd pushed");
        }
    }

    @Test
    void dockerPullsThroughTheDockerHubProfileWithAnAnonymousToken() {
        DockerEngine.requireRunning();
        try (RegistryQuirkProxy hub = RegistryQuirkProxy.start(QuirkProfile.DOCKER_HUB, registry.baseUri())) {
            new MultiArchBase(registry.host(), "library/fixture").publish("latest", Variant.initial().withAmd64("hub-pull"));
            String image = hub.host() + "/library/fixture:latest";
            pulled.add(image);

            DockerEngine.docker("pull", image);

            assertEquals("hub-pull", DockerEngine.docker("run", "--rm", image, "cat", "/etc/freshen-revision"));
            assertTrue(hub.count("GET", "/token") >= 1, hub.requests().toString());
            assertTrue(hub.requests().stream().anyMatch(r -> r.status() == 401), "dockerd met the challenge first");
            long pulls = hub.requests().stream().filter(r -> r.method().equals("GET") && r.status() == 200
                    && r.path().startsWith("/v2/library/fixture/manifests/")).count();
            assertTrue(pulls >= 1, hub.requests().toString());
            assertEquals(RegistryQuirkProxy.DOCKER_HUB_ANONYMOUS_LIMIT - pulls, hub.pullsLeft(), "each manifest GET is a pull");
        }
    }

    @Test
    void dockerHubCountsManifestGetsNotHeadsAndAnswers429WhenTheAllowanceIsUsedUp() throws Exception {
        try (RegistryQuirkProxy hub = RegistryQuirkProxy.start(QuirkProfile.DOCKER_HUB, registry.baseUri())) {
            hub.pullLimit(2);
            HttpResponse<String> challenged = send(hub, "GET", "/v2/dotnet/runtime/manifests/10.0", null);
            assertEquals(401, challenged.statusCode());
            assertEquals("Bearer realm=\"http://" + hub.host() + "/token\",service=\"registry.docker.io\","
                    + "scope=\"repository:dotnet/runtime:pull\"", challenged.headers().firstValue("WWW-Authenticate").orElseThrow());
            String token = token(hub, "/token?service=registry.docker.io&scope=repository:dotnet/runtime:pull", null);

            HttpResponse<String> head = send(hub, "HEAD", "/v2/dotnet/runtime/manifests/10.0", token);
            assertEquals(200, head.statusCode());
            assertEquals("2;w=21600", head.headers().firstValue("ratelimit-remaining").orElseThrow(), "a HEAD is not a pull");
            assertEquals(base.digest().toString(), head.headers().firstValue("Docker-Content-Digest").orElseThrow());
            HttpResponse<String> first = send(hub, "GET", "/v2/dotnet/runtime/manifests/10.0", token);
            assertEquals("2;w=21600", first.headers().firstValue("ratelimit-limit").orElseThrow());
            assertEquals("1;w=21600", first.headers().firstValue("ratelimit-remaining").orElseThrow());
            assertEquals("0;w=21600", send(hub, "GET", "/v2/dotnet/runtime/manifests/10.0", token)
                    .headers().firstValue("ratelimit-remaining").orElseThrow());
            HttpResponse<String> limited = send(hub, "GET", "/v2/dotnet/runtime/manifests/10.0", token);
            assertEquals(429, limited.statusCode());
            assertEquals("TOOMANYREQUESTS", JSON.readTree(limited.body()).path("errors").get(0).path("code").asText());
            assertEquals(200, send(hub, "HEAD", "/v2/dotnet/runtime/manifests/10.0", token).statusCode(), "HEADs still answer");

            HttpResponse<String> push = send(hub, "POST", "/v2/dotnet/runtime/blobs/uploads/", token);
            assertEquals(401, push.statusCode(), "an anonymous token cannot push");
            assertTrue(push.headers().firstValue("WWW-Authenticate").orElseThrow().endsWith("scope=\"repository:dotnet/runtime:pull,push\""));
            assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create("http://" + hub.host() + "/token?scope=x"))
                    .header("Authorization", basic(hub.username(), "wrong")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            String pushToken = token(hub, "/token?service=registry.docker.io&scope=repository:dotnet/runtime:pull,push",
                    basic(hub.username(), hub.password()));
            assertEquals(202, send(hub, "POST", "/v2/dotnet/runtime/blobs/uploads/", pushToken).statusCode());
        }
    }

    @Test
    void ghcrChallengesEvenPublicImagesAndHandsOutAnonymousTokens() throws Exception {
        try (RegistryQuirkProxy ghcr = RegistryQuirkProxy.start(QuirkProfile.GHCR, registry.baseUri())) {
            HttpResponse<String> challenged = send(ghcr, "GET", "/v2/dotnet/runtime/tags/list", null);
            assertEquals(401, challenged.statusCode());
            assertEquals("Bearer realm=\"http://" + ghcr.host() + "/token\",service=\"ghcr.io\",scope=\"repository:dotnet/runtime:pull\"",
                    challenged.headers().firstValue("WWW-Authenticate").orElseThrow());
            String token = token(ghcr, "/token?service=ghcr.io&scope=repository:dotnet/runtime:pull", null);
            assertEquals(200, send(ghcr, "GET", "/v2/dotnet/runtime/tags/list", token).statusCode());
            assertEquals(401, send(ghcr, "GET", "/v2/other/image/tags/list", token).statusCode(), "the token is for its scope only");
        }
    }

    @Test
    void quayPagesTagsWithAnOpaqueNextPageToken() throws Exception {
        try (RegistryQuirkProxy quay = RegistryQuirkProxy.start(QuirkProfile.QUAY, registry.baseUri())) {
            List<String> tags = new ArrayList<>();
            String next = "/v2/dotnet/runtime/tags/list?n=2";
            int pages = 0;
            while (next != null) {
                HttpResponse<String> page = send(quay, "GET", next, null);
                assertEquals(200, page.statusCode());
                JSON.readTree(page.body()).path("tags").forEach(t -> tags.add(t.asText()));
                String link = page.headers().firstValue("Link").orElse(null);
                next = null;
                if (link != null) {
                    assertTrue(link.contains("next_page=") && !link.contains("last="), link);
                    Matcher m = Pattern.compile("<([^>]+)>; rel=\"next\"").matcher(link);
                    assertTrue(m.matches(), link);
                    next = m.group(1);
                }
                pages++;
            }
            assertEquals(List.of("10.0", "10.0.1", "10.0.2", "10.0.3", "10.0.4", "10.0.5"), tags);
            assertEquals(3, pages);
            HttpResponse<String> ignoringLast = send(quay, "GET", "/v2/dotnet/runtime/tags/list?n=2&last=10.0.3", null);
            assertEquals("[\"10.0\",\"10.0.1\"]", JSON.readTree(ignoringLast.body()).path("tags").toString(), "quay ignores last=");
        }
    }

    @Test
    void harborAnswersHeadWithoutTheDigestHeaderAndGetWithIt() throws Exception {
        try (RegistryQuirkProxy harbor = RegistryQuirkProxy.start(QuirkProfile.HARBOR, registry.baseUri())) {
            HttpResponse<String> head = send(harbor, "HEAD", "/v2/dotnet/runtime/manifests/10.0", null);
            assertEquals(200, head.statusCode());
            assertFalse(head.headers().firstValue("Docker-Content-Digest").isPresent(), head.headers().map().toString());
            assertFalse(head.headers().firstValue("Content-Type").isPresent());
            HttpResponse<String> get = send(harbor, "GET", "/v2/dotnet/runtime/manifests/10.0", null);
            assertEquals(base.digest().toString(), get.headers().firstValue("Docker-Content-Digest").orElseThrow());
        }
    }

    @Test
    void artifactoryChallengesWithARealmOnlyAndItsTokenNeedsNoScope() throws Exception {
        try (RegistryQuirkProxy artifactory = RegistryQuirkProxy.start(QuirkProfile.ARTIFACTORY, registry.baseUri())) {
            HttpResponse<String> challenged = send(artifactory, "GET", "/v2/", null);
            assertEquals(401, challenged.statusCode());
            assertEquals("Bearer realm=\"http://" + artifactory.host() + "/artifactory/api/docker/v2/token\"",
                    challenged.headers().firstValue("WWW-Authenticate").orElseThrow());
            String token = token(artifactory, "/artifactory/api/docker/v2/token", null);
            assertEquals(200, send(artifactory, "GET", "/v2/dotnet/runtime/manifests/10.0", token).statusCode());
        }
    }

    @Test
    void ecrChallengesForBasicCredentialsOfUserAws() throws Exception {
        try (RegistryQuirkProxy ecr = RegistryQuirkProxy.start(QuirkProfile.ECR, registry.baseUri())) {
            HttpResponse<String> challenged = send(ecr, "GET", "/v2/", null);
            assertEquals(401, challenged.statusCode());
            assertEquals("Basic realm=\"https://" + ecr.host() + "/\",service=\"ecr.amazonaws.com\"",
                    challenged.headers().firstValue("WWW-Authenticate").orElseThrow());
            assertEquals("AWS", ecr.username());
            assertEquals(200, sendAs(ecr, "GET", "/v2/dotnet/runtime/manifests/10.0", basic("AWS", ecr.password())).statusCode());
            assertEquals(401, sendAs(ecr, "GET", "/v2/dotnet/runtime/manifests/10.0", basic("AWS", "expired")).statusCode());
        }
    }

    @Test
    void faultSwitchesAnswerHeadsWithAStatusAnd429AfterACount() throws Exception {
        try (RegistryQuirkProxy mcr = RegistryQuirkProxy.start(QuirkProfile.MCR, registry.baseUri())) {
            for (int status : new int[] {404, 405, 400, 501}) {
                mcr.headStatus(status);
                assertEquals(status, send(mcr, "HEAD", "/v2/dotnet/runtime/manifests/10.0", null).statusCode());
            }
            assertEquals(200, send(mcr, "GET", "/v2/dotnet/runtime/manifests/10.0", null).statusCode(), "GETs are unaffected");
            mcr.headStatus(0);
            assertEquals(200, send(mcr, "HEAD", "/v2/dotnet/runtime/manifests/10.0", null).statusCode());

            mcr.tooManyRequestsAfter(2);
            assertEquals(200, send(mcr, "GET", "/v2/", null).statusCode());
            assertEquals(200, send(mcr, "GET", "/v2/dotnet/runtime/manifests/10.0", null).statusCode());
            assertEquals(429, send(mcr, "GET", "/v2/dotnet/runtime/manifests/10.0", null).statusCode());
            assertEquals(429, send(mcr, "GET", "/v2/", null).statusCode());
            mcr.tooManyRequestsAfter(-1);
            assertEquals(200, send(mcr, "GET", "/v2/", null).statusCode());

            assertEquals(2, mcr.count("GET", "/v2/dotnet/runtime/manifests/10\\.0") - 1, mcr.requests().toString());
            assertEquals(new RegistryQuirkProxy.Request("GET", "/v2/", 200), mcr.requests().get(mcr.requests().size() - 1));
        }
    }

    private static String token(RegistryQuirkProxy proxy, String pathAndQuery, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + proxy.host() + pathAndQuery));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        return body.path("token").asText();
    }

    private static HttpResponse<String> send(RegistryQuirkProxy proxy, String method, String pathAndQuery, String token)
            throws Exception {
        return sendAs(proxy, method, pathAndQuery, token == null ? null : "Bearer " + token);
    }

    private static HttpResponse<String> sendAs(RegistryQuirkProxy proxy, String method, String pathAndQuery,
                                               String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + proxy.host() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Accept", ACCEPT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

}
