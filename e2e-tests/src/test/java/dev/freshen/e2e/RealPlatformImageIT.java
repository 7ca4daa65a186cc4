package dev.freshen.e2e;

import dev.freshen.events.CheckResult;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.ImageConfig;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.Commands;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.FixturePlatformImages;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real platform image of {@code platform-images/}, {@code net10/runtime-chiseled}, through the packaged watcher,
 * builder, tester and publisher: its own Dockerfile and descriptor (target, tags, user/label/environment checks), with
 * its vendor base played by the busybox fixture base in a local registry and its .NET application by the fixture's
 * echo application ({@link FixturePlatformImages}). Proves that what the company actually ships builds, passes its
 * checks and is published by digest, not only the fixture made for the tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealPlatformImageIT {

    private static final String IMAGE = "net10/runtime-chiseled";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final String API_KEY = "e2e-real-image-key-0123456789abcdef";

    private PackagedServices services;
    private LocalRegistry registry;
    private RegistryClient registryClient;
    private EventTopics topics;
    private ImageReference base;

    @BeforeAll
    void startPipeline() throws IOException {
        DockerEngine.requireRunning();
        registry = LocalRegistry.shared();
        registryClient = new RegistryClient(RegistrySettings.defaults());
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        Path repository = Commands.repositoryRoot();
        FixturePlatformImages.Copy copy = FixturePlatformImages.copyOf(repository.resolve("platform-images"), IMAGE,
                registry.host(), Files.createTempDirectory("freshen-e2e-real-images-"));
        assertEquals(1, copy.bases().size(), "one vendor base: " + copy.bases());
        ImageReference vendorTag = copy.bases().get(0);
        base = FixtureImages.publishBase(registry.host(), vendorTag.repository(), vendorTag.tag());

        services = PackagedServices.start(copy.root(), registry.host(), API_KEY, null);
    }

    @AfterAll
    void stopPipeline() {
        if (services != null) {
            services.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    @Test
    void theRealChiseledImageIsBuiltCheckedAndPublishedAsOneZeroZero() {
        // never published: the watcher's check at start-up starts the run
        ImagePublished published = topics.awaitEvent(ImagePublished.class, e -> e.imageId().equals(IMAGE), RUN_TIMEOUT);
        String runId = published.runId();
        long total = Duration.between(published.timings().get(0).startedAt(), published.occurredAt()).toMillis();
        System.out.println("E2E real image " + IMAGE + ": " + total + " ms from build start to ImagePublished");

        assertEquals("1.0.0", published.version());
        assertEquals(List.of("10.0-noble-chiseled-1.0.0", "10.0-noble-chiseled"), published.tags(),
                "the real descriptor's tag prefix and extra tags");
        String repository = registry.host() + "/platform/dotnet/runtime";
        assertEquals(published.digest(), registryClient.manifestDigest(
                ImageReference.parse(repository + ":10.0-noble-chiseled")).orElseThrow(), "the extra tag moved to it");
        assertEquals(base.digest(), published.baseImages().get(0).digest(), "built from the fixture vendor base");

        ImageVerified verified = topics.awaitEvent(ImageVerified.class, e -> e.runId().equals(runId), Duration.ofSeconds(30));
        Set<String> checks = Set.copyOf(verified.checks().stream().map(CheckResult::name).toList());
        assertTrue(checks.containsAll(Set.of("user: non-root", "env: SSL_CERT_DIR", "env: DOTNET_SYSTEM_GLOBALIZATION_INVARIANT",
                "label: org.opencontainers.image.vendor")), "the real descriptor's checks ran: " + checks);
        assertTrue(verified.checks().stream().allMatch(CheckResult::passed), verified.checks().toString());

        // what the real Dockerfile's COPY/ENV/LABEL/USER steps put into the published image
        ImageConfig config = registryClient.imageConfig(published.image());
        assertEquals("1654", config.user());
        assertTrue(config.env().containsAll(List.of("SSL_CERT_DIR=/usr/local/share/ca-certificates/mycompany",
                "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true",
                "ASPNETCORE_HTTP_PORTS=8080")), config.env().toString());
        assertEquals("MyCompany", config.labels().get("org.opencontainers.image.vendor"));
        assertEquals(base.digest().toString(), config.labels().get(ImageLabels.BASE_DIGEST));
        assertEquals(runId, config.labels().get(ImageLabels.RUN_ID));

        // the watcher reads back from the registry what the published image was built from: nothing left to do
        given().baseUri(services.get("watcher").baseUri().toString()).header("Authorization", "Bearer " + API_KEY)
                .post("/api/v1/images/" + IMAGE + "/check").then().statusCode(200).body("result", equalTo("UP_TO_DATE"));
    }
}
