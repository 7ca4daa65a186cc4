package dev.freshen.publisher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.publisher.registry.OciTargetRegistry;
import dev.freshen.registry.CredentialsProvider;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registry quirk matrix, promotion: the publisher's real {@link PublishStage} with {@link OciTargetRegistry} (and so
 * the real {@code ImageCopier}) promoting a verified candidate into a registry playing each {@link QuirkProfile}
 * ({@link RegistryQuirkProxy} in front of one real registry), with a {@link RegistryClient} built from
 * {@code freshen.registries} settings as {@code PublisherBeans} builds it. Candidates are staged (a) in the same proxied
 * registry, another repository (blob mounts), and (b) in a different plain registry (streamed blob copies into the
 * proxy), one of them a multi-arch {@link MultiArchBase} index whose bytes must arrive unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryQuirksPromotionIT {

    private static final String PREFIX = "10.0";
    private static final List<String> EXTRA_TAGS = List.of("10", "latest");

    private LocalRegistry backend;
    private LocalRegistry plain;
    private final Map<QuirkProfile, RegistryQuirkProxy> proxies = new EnumMap<>(QuirkProfile.class);
    private RegistryClient client;
    private RegistryClient plainClient;
    private Path platformImages;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        backend = LocalRegistry.start();
        plain = LocalRegistry.start();
        platformImages = Files.createDirectories(dir.resolve("platform-images"));
        Map<String, String> settings = new HashMap<>(Map.of(
                "freshen.registries.max-attempts", "3",
                "freshen.registries.initial-backoff", "100ms",
                "freshen.registries.max-backoff", "1s"));
        for (QuirkProfile profile : QuirkProfile.values()) {
            RegistryQuirkProxy proxy = RegistryQuirkProxy.start(profile, backend.baseUri());
            proxies.put(profile, proxy);
            String name = profile.id();
            settings.putAll(proxy.credentialSettings());
            for (String kind : List.of("mounted", "copied", "index")) {
                Path folder = Files.createDirectories(platformImages.resolve("quirks/" + kind + "-" + name));
                Files.writeString(folder.resolve("Dockerfile"), "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
                Files.writeString(folder.resolve("platform-image.yaml"), "target: {repository: platform/" + kind + "-"
                        + name + ", tagPrefix: '" + PREFIX + "', extraTags: ['10', latest]}\n");
            }
        }
        RegistriesConfig registries = new SmallRyeConfigBuilder().addDiscoveredConverters()
                .withMapping(RegistriesConfig.class, "freshen.registries")
                .withSources(new PropertiesConfigSource(settings, "test", 400))
                .build().getConfigMapping(RegistriesConfig.class, "freshen.registries");
        // as PublisherBeans.targetRegistry
        client = new RegistryClient(registries.settings(), registries.credentialsChain(CredentialsProvider.NONE));
        plainClient = new RegistryClient(RegistrySettings.defaults());
    }

    @AfterAll
    void stop() {
        proxies.values().forEach(RegistryQuirkProxy::close);
        if (backend != null) {
            backend.close();
        }
        if (plain != null) {
            plain.close();
        }
    }

    @ParameterizedTest
    @EnumSource(QuirkProfile.class)
    void aCandidateStagedInTheSameRegistryIsPromotedByBlobMount(QuirkProfile profile) {
        RegistryQuirkProxy proxy = proxy(profile);
        String runId = SampleEvents.runId();
        ImageReference candidate = CandidateImages.push(client, proxy.host(), "staging/" + profile.id(),
                "candidate-" + runId, runId);
        proxy.clearRequests();

        promote(proxy, "mounted", runId, candidate);

        List<RegistryQuirkProxy.Request> uploads = proxy.requests().stream()
                .filter(r -> r.path().startsWith("/v2/platform/mounted-" + profile.id() + "/blobs/uploads/"))
                .filter(r -> r.status() != 401).toList(); // a token profile's challenge before the push token
        assertEquals(2, uploads.size(), profile + ": one mount for the config, one for the layer: " + uploads);
        assertTrue(uploads.stream().allMatch(r -> r.method().equals("POST") && r.status() == 201),
                profile + ": every blob mounted (POST ?mount= answered 201), none uploaded: " + uploads);
    }

    @ParameterizedTest
    @EnumSource(QuirkProfile.class)
    void aCandidateStagedInAnotherRegistryIsCopiedIn(QuirkProfile profile) {
        RegistryQuirkProxy proxy = proxy(profile);
        String runId = SampleEvents.runId();
        ImageReference candidate = CandidateImages.push(plainClient, plain.host(), "staging/" + profile.id(),
                "candidate-" + runId, runId);
        proxy.clearRequests();

        promote(proxy, "copied", runId, candidate);

        List<RegistryQuirkProxy.Request> finished = proxy.requests().stream()
                .filter(r -> r.method().equals("PUT") && r.status() != 401)
                .filter(r -> r.path().startsWith("/v2/platform/copied-" + profile.id() + "/blobs/uploads/")).toList();
        assertEquals(2, finished.size(), profile + ": config and layer uploaded into the proxy: " + proxy.requests());
        assertTrue(finished.stream().allMatch(r -> r.status() == 201), profile + ": " + finished);
    }

    @ParameterizedTest
    @EnumSource(QuirkProfile.class)
    void aMultiArchIndexArrivesByteForByte(QuirkProfile profile) {
        RegistryQuirkProxy proxy = proxy(profile);
        Published index = new MultiArchBase(plain.host(), "staging/index-" + profile.id())
                .publish("candidate", Variant.initial().withAmd64("A-" + profile));
        Manifest source = plainClient.manifest(index.reference().byDigestOnly()).orElseThrow();

        ImagePublished published = promote(proxy, "index", SampleEvents.runId(), index.reference().withTag(null));

        Manifest promoted = client.manifest(new ImageReference(proxy.host(), published.repository(), published.image().tag(),
                null)).orElseThrow();
        assertTrue(promoted.isIndex(), profile.toString());
        assertArrayEquals(source.content(), promoted.content(), profile + ": the index bytes are unchanged");
        for (Digest child : index.manifests().values()) {
            assertEquals(Optional.of(child), client.manifestDigest(new ImageReference(proxy.host(), published.repository(),
                    null, child)), profile + ": the index's manifest " + child + " came along");
        }
    }

    /**
     * Publishes {@code candidate} as platform image {@code quirks/<kind>-<profile>} through the proxy and checks what
     * every profile must give: version 1.0.0 and the extra tags, each naming exactly the candidate's digest.
     */
    private ImagePublished promote(RegistryQuirkProxy proxy, String kind, String runId, ImageReference candidate) {
        String imageId = "quirks/" + kind + "-" + proxy.profile().id();
        PublishStage stage = new PublishStage(PlatformImageCatalog.of(platformImages)::scan,
                new OciTargetRegistry(client, proxy.host()),
                new PublishSettings(new RetryPolicy(1, Duration.ofMillis(100), Duration.ofMillis(100)), 3),
                Clock.systemUTC());

        FreshenEvent event = stage.publish(CandidateImages.verified(runId, imageId, candidate));

        ImagePublished published = assertInstanceOf(ImagePublished.class, event,
                proxy.profile() + ": not promoted into a registry playing " + proxy.profile() + ": " + event);
        String repository = "platform/" + kind + "-" + proxy.profile().id();
        assertEquals(candidate.digest(), published.digest(), proxy.profile().toString());
        assertEquals(proxy.host() + "/" + repository + ":" + PREFIX + "-1.0.0@" + candidate.digest(),
                published.image().toString(), proxy.profile().toString());
        assertEquals(Stream.concat(Stream.of(PREFIX + "-1.0.0"), EXTRA_TAGS.stream()).toList(),
                published.tags(), proxy.profile().toString());
        for (String tag : published.tags()) {
            assertEquals(Optional.of(candidate.digest()), client.manifestDigest(new ImageReference(proxy.host(), repository,
                    tag, null)), proxy.profile() + ": " + repository + ":" + tag + " through the proxy");
            assertEquals(Optional.of(candidate.digest()), plainClient.manifestDigest(new ImageReference(backend.host(),
                    repository, tag, null)), proxy.profile() + ": " + repository + ":" + tag + " in the registry behind it");
        }
        return published;
    }

    private RegistryQuirkProxy proxy(QuirkProfile profile) {
        RegistryQuirkProxy proxy = proxies.get(profile);
        if (profile == QuirkProfile.DOCKER_HUB) {
            proxy.pullLimit(RegistryQuirkProxy.DOCKER_HUB_ANONYMOUS_LIMIT);
        }
        return proxy;
    }
}
