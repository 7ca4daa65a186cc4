package dev.freshen.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.image.Digest;
import dev.freshen.testing.MultiArchBase.Published;
import dev.freshen.testing.MultiArchBase.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.freshen.testing.MultiArchBase.AMD64;
import static dev.freshen.testing.MultiArchBase.ARM64;
import static dev.freshen.testing.MultiArchBase.ATTESTATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The multi-arch fixture base against the real registry and dockerd: pullable, runnable, and its variants' digests. */
class MultiArchBaseIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalRegistry registry;
    private static final List<String> pulled = new ArrayList<>();

    @BeforeAll
    static void startRegistry() {
        registry = LocalRegistry.start();
    }

    @AfterAll
    static void stop() {
        DockerEngine.removeImages(pulled);
        registry.close();
    }

    @Test
    void dockerdPullsTheIndexByDigestAndRunsTheAmd64Image() {
        DockerEngine.requireRunning();
        Published base = new MultiArchBase(registry.host(), "fixture/multi-run").publish("10.0", Variant.initial());
        String pinned = base.reference().byDigestOnly().toString();
        pulled.add(pinned);

        DockerEngine.docker("pull", pinned);

        assertEquals("ok", DockerEngine.docker("run", "--rm", pinned, "/bin/busybox", "echo", "ok"));
        assertEquals("A1", DockerEngine.docker("run", "--rm", pinned, "cat", "/etc/freshen-revision"));
        assertEquals("amd64", DockerEngine.docker("image", "inspect", "--format", "{{.Architecture}}", pinned));
    }

    @Test
    void theIndexHoldsBothPlatformsAndABuildKitAttestationOfTheAmd64Image() throws Exception {
        Published base = new MultiArchBase(registry.host(), "fixture/multi-index").publish("10.0", Variant.initial());

        HttpResponse<byte[]> response = get("fixture/multi-index", "manifests/10.0", MultiArchBase.INDEX_TYPE);
        assertEquals(MultiArchBase.INDEX_TYPE, response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(base.digest(), Digest.sha256Of(response.body()));
        JsonNode entries = JSON.readTree(response.body()).path("manifests");
        assertEquals(3, entries.size());
        assertEquals(base.manifest(AMD64).toString(), entries.get(0).path("digest").asText());
        assertEquals("amd64", entries.get(0).path("platform").path("architecture").asText());
        assertEquals(base.manifest(ARM64).toString(), entries.get(1).path("digest").asText());
        assertEquals("arm64", entries.get(1).path("platform").path("architecture").asText());
        assertEquals("v8", entries.get(1).path("platform").path("variant").asText());
        JsonNode attestation = entries.get(2);
        assertEquals(base.manifest(ATTESTATION).toString(), attestation.path("digest").asText());
        assertEquals("unknown", attestation.path("platform").path("os").asText());
        assertEquals("attestation-manifest", attestation.path("annotations").path("vnd.docker.reference.type").asText());
        assertEquals(base.manifest(AMD64).toString(), attestation.path("annotations").path("vnd.docker.reference.digest").asText());

        JsonNode attestationManifest = JSON.readTree(get("fixture/multi-index", "manifests/" + base.manifest(ATTESTATION),
                MultiArchBase.MANIFEST_TYPE).body());
        assertEquals("application/vnd.in-toto+json", attestationManifest.path("layers").get(0).path("mediaType").asText());

        JsonNode arm64 = JSON.readTree(get("fixture/multi-index", "manifests/" + base.manifest(ARM64),
                MultiArchBase.MANIFEST_TYPE).body());
        byte[] config = get("fixture/multi-index", "blobs/" + arm64.path("config").path("digest").asText(), "*/*").body();
        JsonNode configJson = JSON.readTree(config);
        assertEquals("arm64", configJson.path("architecture").asText());
        assertEquals(2, configJson.path("rootfs").path("diff_ids").size());
        JsonNode amd64 = JSON.readTree(get("fixture/multi-index", "manifests/" + base.manifest(AMD64),
                MultiArchBase.MANIFEST_TYPE).body());
        assertNotEquals(amd64.path("layers").get(0).path("digest"), arm64.path("layers").get(0).path("digest"),
                "each platform has its own busybox binary");
    }

    @Test
    void variantsChangeExactlyTheManifestsTheyName() {
        MultiArchBase base = new MultiArchBase(registry.host(), "fixture/multi-variants");
        Variant v1 = Variant.initial();
        Published first = base.publish("10.0", v1);

        Published again = new MultiArchBase(registry.host(), "fixture/multi-variants-again").publish("10.0", v1);
        assertEquals(first.digest(), again.digest(), "the same inputs give the same digests");
        assertEquals(first.manifests(), again.manifests());

        Published arm64Only = base.publish("10.0", v1.withArm64("I2"));
        assertChanged(first, arm64Only, Set.of(ARM64));

        Published amd64Only = base.publish("10.0", v1.withAmd64("A2"));
        assertChanged(first, amd64Only, Set.of(AMD64, ATTESTATION)); // the attestation names the amd64 digest

        Published both = base.publish("10.0", v1.withAmd64("A2").withArm64("I2"));
        assertChanged(first, both, Set.of(AMD64, ARM64, ATTESTATION));

        Published attestationOnly = base.publish("10.0", v1.withAttestation("S2"));
        assertChanged(first, attestationOnly, Set.of(ATTESTATION));

        Published withoutAttestation = base.publish("10.0", v1.withAttestation(null));
        assertEquals(Set.of(AMD64, ARM64), withoutAttestation.manifests().keySet());
        assertEquals(first.manifest(AMD64), withoutAttestation.manifest(AMD64));
        assertEquals(first.manifest(ARM64), withoutAttestation.manifest(ARM64));
        assertNotEquals(first.digest(), withoutAttestation.digest());
    }

    @Test
    void aSinglePlatformManifestIsTheSameImageAsTheIndexesAmd64Entry() throws Exception {
        MultiArchBase base = new MultiArchBase(registry.host(), "fixture/multi-single");
        Published index = base.publish("multi", Variant.initial());
        Published single = base.publishSingle("single", "A1");

        assertEquals(index.manifest(AMD64), single.digest());
        assertEquals(single.digest(), single.manifest(AMD64));
        HttpResponse<byte[]> response = get("fixture/multi-single", "manifests/single", MultiArchBase.MANIFEST_TYPE);
        assertEquals(MultiArchBase.MANIFEST_TYPE, response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(single.digest(), Digest.sha256Of(response.body()));
    }

    private static void assertChanged(Published before, Published after, Set<String> changed) {
        assertNotEquals(before.digest(), after.digest(), "the index changes with any manifest");
        assertEquals(before.manifests().keySet(), after.manifests().keySet());
        for (String platform : before.manifests().keySet()) {
            if (changed.contains(platform)) {
                assertNotEquals(before.manifest(platform), after.manifest(platform), platform + " should change");
            } else {
                assertEquals(before.manifest(platform), after.manifest(platform), platform + " should stay");
            }
        }
        assertFalse(changed.isEmpty());
    }

    private static HttpResponse<byte[]> get(String repository, String path, String accept) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(registry.baseUri() + "/v2/" + repository + "/" + path))
                .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), path);
        return response;
    }
}
