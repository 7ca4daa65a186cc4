package dev.freshen.builder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import dev.freshen.builder.docker.EngineCandidateStore;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.docker.BuildKitCliBuilder;
import dev.freshen.docker.DockerEngine;
import dev.freshen.docker.EngineApiBuilder;
import dev.freshen.ecr.EcrCredentials;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.registry.ImageConfig;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.config.RegistriesConfig;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.MultiArchBase;
import dev.freshen.testing.MultiArchBase.Published;
import dev.freshen.testing.MultiArchBase.Variant;
import dev.freshen.testing.QuirkProfile;
import dev.freshen.testing.RegistryQuirkProxy;
import dev.freshen.testing.SampleEvents;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Registry quirk matrix, build: a forced run through the builder's real {@link BuildStage} (real
 * {@link EngineCandidateStore}, {@link EngineApiBuilder} and {@link BuildKitCliBuilder}, the real Docker engine) for a
 * platform image {@code FROM <proxy>/dotnet/runtime:10.0}, where the proxy plays each {@link QuirkProfile} in front of
 * one real registry holding a {@link MultiArchBase} index. The candidate is staged into the same proxied registry. The
 * registry client and the credentials handed to the engine come from {@code freshen.registries} settings, as
 * {@code BuilderBeans} wires them: the engine pulls the base and pushes the candidate through the proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryQuirksBuildIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE_REPOSITORY = "dotnet/runtime";

    private LocalRegistry backend;
    private Published base;
    private final Map<QuirkProfile, RegistryQuirkProxy> proxies = new EnumMap<>(QuirkProfile.class);
    private RegistryClient registry;
    private DockerClient docker;
    private final List<String> pulled = new ArrayList<>();
    private Path platformImages;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        dev.freshen.testing.DockerEngine.requireRunning();
        docker = DockerEngine.connect(TIMEOUT);
        backend = LocalRegistry.start();
        base = new MultiArchBase(backend.host(), BASE_REPOSITORY).publish("10.0", Variant.initial());
        platformImages = Files.createDirectories(dir.resolve("platform-images"));
        Map<String, String> settings = new HashMap<>(Map.of(
                "freshen.registries.max-attempts", "3",
                "freshen.registries.initial-backoff", "200ms",
                "freshen.registries.max-backoff", "2s"));
        for (QuirkProfile profile : QuirkProfile.values()) {
            RegistryQuirkProxy proxy = RegistryQuirkProxy.start(profile, backend.baseUri());
            proxies.put(profile, proxy);
            String name = profile.id();
            settings.putAll(proxy.credentialSettings());
            ImageReference from = new ImageReference(proxy.host(), BASE_REPOSITORY, "10.0", null);
            image("quirks/" + name + "-classic", "FROM " + from + "\nCOPY hello.sh /hello.sh\n");
            image("quirks/" + name + "-buildkit", "FROM " + from + "\nCOPY --chmod=755 hello.sh /hello.sh\n");
            pulled.add(from.withDigest(base.manifest(MultiArchBase.AMD64)).byDigestOnly().toString());
        }
        RegistriesConfig registries = new SmallRyeConfigBuilder().addDiscoveredConverters()
                .withMapping(RegistriesConfig.class, "freshen.registries")
                .withSources(new PropertiesConfigSource(settings, "test", 400))
                .build().getConfigMapping(RegistriesConfig.class, "freshen.registries");
        // as BuilderBeans.buildStage
        registry = new RegistryClient(registries.settings(), registries.credentialsChain(EcrCredentials.of(registries)));
    }

    @AfterAll
    void stop() throws IOException {
        if (docker != null) {
            pulled.forEach(this::removeFromEngine);
            docker.close();
        }
        proxies.values().forEach(RegistryQuirkProxy::close);
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest
    @EnumSource(QuirkProfile.class)
    void theEngineApiBuildsFromTheAmd64ManifestAndStagesTheCandidate(QuirkProfile profile) throws IOException {
        RegistryQuirkProxy proxy = proxies.get(profile);
        ImageReference amd64 = new ImageReference(proxy.host(), BASE_REPOSITORY, null, base.manifest(MultiArchBase.AMD64));
        removeFromEngine(amd64.toString());
        proxy.clearRequests();

        build(proxy, "quirks/" + profile.id() + "-classic");

        assertTrue(proxy.requests().stream().anyMatch(r -> r.path().equals("/v2/dotnet/runtime/manifests/"
                        + amd64.digest()) && r.status() == 200),
                profile + ": the engine pulled the amd64 manifest through the proxy: " + proxy.requests());
    }

    @ParameterizedTest
    @EnumSource(QuirkProfile.class)
    void buildKitBuildsFromTheAmd64ManifestAndStagesTheCandidate(QuirkProfile profile) throws IOException {
        build(proxies.get(profile), "quirks/" + profile.id() + "-buildkit");
    }

    /** A forced run of {@code imageId}, its candidate staged in the proxied registry; asserts what every profile must give. */
    private ImageBuilt build(RegistryQuirkProxy proxy, String imageId) throws IOException {
        if (proxy.profile() == QuirkProfile.DOCKER_HUB) {
            proxy.pullLimit(RegistryQuirkProxy.DOCKER_HUB_ANONYMOUS_LIMIT);
        }
        String runId = SampleEvents.runId();
        FreshenEvent event = stage(proxy).build(new BuildRequest(runId, imageId,
                Trigger.forced("registry quirk matrix", "test"), List.of(), Instant.now()));
        if (!(event instanceof ImageBuilt built)) {
            return fail(proxy.profile() + ": no candidate built through a registry playing " + proxy.profile()
                    + " (" + proxy.host() + "): " + event);
        }
        Digest amd64 = base.manifest(MultiArchBase.AMD64);
        ImageReference from = new ImageReference(proxy.host(), BASE_REPOSITORY, "10.0", null);

        assertEquals(proxy.host() + "/platform/" + imageId + "-staging", built.candidate().name(),
                "staged in the proxied registry, in the target repository's staging repository");
        assertEquals(Optional.of(built.candidate().digest()), registry.manifestDigest(
                        new ImageReference(proxy.host(), "platform/" + imageId + "-staging",
                                dev.freshen.descriptor.Staging.candidateTag(runId), null)),
                proxy.profile() + ": the candidate tag names the candidate digest");
        assertEquals(amd64, built.baseImages().get(0).digest(), proxy.profile() + ": the amd64 manifest, not the index");
        assertEquals(Platform.LINUX_AMD64, built.baseImages().get(0).platform());
        ImageConfig config = registry.imageConfig(built.candidate());
        assertEquals(amd64.toString(), config.labels().get(ImageLabels.BASE_DIGEST), proxy.profile().toString());
        assertEquals(from.withDigest(amd64).toString(), config.labels().get(ImageLabels.BASE_IMAGES),
                proxy.profile().toString());
        List<String> baseLayers = diffIds(from.withDigest(amd64));
        assertEquals(baseLayers, diffIds(built.candidate()).subList(0, baseLayers.size()),
                proxy.profile() + ": built on the amd64 image's layers");
        return built;
    }

    private BuildStage stage(RegistryQuirkProxy proxy) {
        return new BuildStage(PlatformImageCatalog.of(platformImages)::scan,
                new EngineCandidateStore(docker, registry, TIMEOUT), new EngineApiBuilder(docker),
                new BuildKitCliBuilder(dev.freshen.testing.DockerEngine.CLI), p -> Optional.empty(),
                new BuildSettings(proxy.host(), dev.freshen.descriptor.Staging.defaults(), TIMEOUT, 100,
                        new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1)), Platform.LINUX_AMD64),
                Clock.systemUTC(), registry::credentialsFor, new BuildOutcomes());
    }

    private List<String> diffIds(ImageReference image) throws IOException {
        Manifest manifest = registry.manifest(image).orElseThrow();
        JsonNode descriptor = JSON.readTree(manifest.content()).get("config");
        byte[] config = registry.blob(image.registry(), image.repository(), Digest.parse(descriptor.get("digest").asText()));
        List<String> ids = new ArrayList<>();
        JSON.readTree(config).get("rootfs").get("diff_ids").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    private void removeFromEngine(String image) {
        try {
            DockerEngine.remove(docker, image);
        } catch (RuntimeException ignored) {
            // not there
        }
    }

    /** A platform image {@code <id>} whose candidates go to {@code platform/<id>}. */
    private void image(String id, String dockerfile) throws IOException {
        Path folder = Files.createDirectories(platformImages.resolve(id));
        Files.writeString(folder.resolve("Dockerfile"), dockerfile);
        Files.writeString(folder.resolve("hello.sh"), "#!/bin/sh\necho hello\n");
        Files.writeString(folder.resolve("platform-image.yaml"), "target: {repository: platform/" + id + ", tagPrefix: '10.0'}\n");
    }
}
