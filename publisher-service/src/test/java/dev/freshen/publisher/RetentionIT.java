package dev.freshen.publisher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.publisher.registry.OciTargetRegistry;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Version retention on the real CNCF registry (deletes enabled): the publish stage with {@link OciTargetRegistry}
 * publishes two images into one shared repository, with prefixes one of which starts with the other
 * ({@code 10.0-noble}, {@code 10.0-noble-chiseled}), and the tags left in the registry are read back: old versions go
 * with their per-run tags, a version another tag names stays.
 */
class RetentionIT {

    private static final String NOBLE = "10.0-noble";
    private static final String CHISELED = "10.0-noble-chiseled";

    @Test
    void oldVersionsOfEachImageGoWhileMovingTagsOtherImagesAndPinnedImagesStay(@TempDir Path root) throws IOException {
        LocalRegistry registry = LocalRegistry.shared();
        RegistryClient client = new RegistryClient(RegistrySettings.defaults());
        String repository = "platform/retention-" + UUID.randomUUID().toString().substring(0, 8);
        String staging = "staging/retention-" + UUID.randomUUID().toString().substring(0, 8);
        descriptor(root, "fixture/noble", repository, NOBLE, "['10.0', latest, 'run-{runId}']", 2);
        descriptor(root, "fixture/chiseled", repository, CHISELED, "['" + CHISELED + "']", 1);
        PublishStage stage = new PublishStage(new PlatformImageCatalog(root)::scan,
                new OciTargetRegistry(client, registry.host()),
                new PublishSettings(new RetryPolicy(2, Duration.ZERO, Duration.ZERO), 4), Clock.systemUTC());

        ImagePublished noble1 = publish(stage, client, registry, staging, "fixture/noble");
        Digest chiseled1 = publish(stage, client, registry, staging, "fixture/chiseled").digest();
        ImagePublished noble2 = publish(stage, client, registry, staging, "fixture/noble");
        client.putManifest(registry.host(), repository, "pinned", client.manifest(ref(registry, repository,
                noble1.digest())).orElseThrow());
        assertEquals(Set.of(NOBLE + "-1.0.0", "run-" + noble1.runId(), NOBLE + "-1.1.0", "run-" + noble2.runId(), "10.0",
                "latest", "pinned", CHISELED + "-1.0.0", CHISELED), tags(client, registry, repository),
                "nothing beyond the versions kept yet");

        // 1.2.0: 1.0.0 is beyond 2, but pinned holds it
        ImagePublished noble3 = publish(stage, client, registry, staging, "fixture/noble");
        // 1.3.0: 1.1.0 goes, with its run tag
        ImagePublished noble4 = publish(stage, client, registry, staging, "fixture/noble");
        Digest chiseled2 = publish(stage, client, registry, staging, "fixture/chiseled").digest(); // chiseled 1.0.0 goes

        assertEquals("1.3.0", noble4.version());
        assertEquals(Set.of(NOBLE + "-1.0.0", "run-" + noble1.runId(), "pinned", NOBLE + "-1.2.0", "run-" + noble3.runId(),
                NOBLE + "-1.3.0", "run-" + noble4.runId(), "10.0", "latest", CHISELED + "-1.1.0", CHISELED),
                tags(client, registry, repository));
        assertTrue(client.manifest(ref(registry, repository, noble2.digest())).isEmpty(), "1.1.0's image is deleted");
        assertTrue(client.manifest(ref(registry, repository, chiseled1)).isEmpty(), "chiseled 1.0.0's image is deleted");
        assertEquals(Optional.of(noble1.digest()), client.manifestDigest(ImageReference.parse(registry.host() + "/" + repository
                + ":" + NOBLE + "-1.0.0")), "held by the pinned tag");
        assertEquals(Optional.of(noble4.digest()), client.manifestDigest(ImageReference.parse(registry.host() + "/"
                + repository + ":latest")));
        assertEquals(Optional.of(chiseled2), client.manifestDigest(ImageReference.parse(registry.host() + "/"
                + repository + ":" + CHISELED)));
    }

    private static ImagePublished publish(PublishStage stage, RegistryClient client, LocalRegistry registry,
                                          String staging, String imageId) {
        String runId = SampleEvents.runId();
        ImageReference candidate = CandidateImages.push(client, registry.host(), staging, "candidate-" + runId, runId);
        return assertInstanceOf(ImagePublished.class, stage.publish(CandidateImages.verified(runId, imageId, candidate)));
    }

    private static ImageReference ref(LocalRegistry registry, String repository, Digest digest) {
        return ImageReference.parse(registry.host() + "/" + repository + "@" + digest);
    }

    private static Set<String> tags(RegistryClient client, LocalRegistry registry, String repository) {
        return new TreeSet<>(client.tags(registry.host(), repository));
    }

    private static void descriptor(Path root, String imageId, String repository, String prefix, String extraTags,
                                   int keep) throws IOException {
        Path dir = Files.createDirectories(root.resolve(imageId));
        Files.writeString(dir.resolve("Dockerfile"), "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
        Files.writeString(dir.resolve("platform-image.yaml"), "target: {repository: " + repository + ", tagPrefix: "
                + prefix + ", extraTags: " + extraTags + ", retention: {keepVersions: " + keep + "}}\n");
    }
}
