package dev.freshen.deploy;

import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.registry.ImageConfig;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.MediaTypes;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.Commands;
import dev.freshen.testing.RegistryProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/local/fixture-base.sh against a real registry (Debian's docker-registry), read back with Freshen's registry
 * client as the watcher and builder read a vendor base: with {@code --platforms linux/amd64,linux/arm64} it is an OCI
 * image index the registry accepts, with one entry per platform whose config names that platform; by default it stays
 * one plain linux/amd64 image manifest, which every other IT's base is. That the arm64 image runs (busybox applets
 * under QEMU) is proven where the fixture is built: the local run and e2e MultiPlatformIT.
 */
class FixtureBaseIT {

    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64");

    private static RegistryProcess registry;
    private static RegistryClient client;

    @BeforeAll
    static void start() {
        registry = RegistryProcess.start(RegistryProcess.newDirectory("fixture-base-it"), "");
        client = new RegistryClient(RegistrySettings.defaults());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void twoPlatformsAreAnIndexWhoseEntriesAndConfigsNameTheirPlatform() {
        ImageReference base = publish("fixture/two", "linux/amd64,linux/arm64");

        Manifest index = client.manifest(base).orElseThrow();
        assertEquals(MediaTypes.OCI_INDEX, index.mediaType());
        assertEquals(base.digest(), index.digest(), "the printed digest is the tag's");
        List<ImageIndexes.Entry> entries = ImageIndexes.read(index);
        assertEquals(List.of(AMD64, ARM64), entries.stream().map(ImageIndexes.Entry::platform).toList());
        for (ImageIndexes.Entry entry : entries) {
            assertEquals(MediaTypes.DOCKER_MANIFEST, entry.mediaType(), "children as docker push writes them");
            ImageConfig config = client.imageConfigFor(base.withDigest(null), entry.platform()).orElseThrow();
            assertEquals(entry.platform(), config.platform(), "the config of " + entry.platform());
            assertTrue(config.env().contains("APP_UID=1654"), "the fixture's environment: " + config.env());
        }
    }

    @Test
    void theDefaultIsOnePlainAmd64ManifestAndEachRevisionANewDigest() {
        ImageReference first = publish("fixture/one", null);
        ImageReference second = publish("fixture/one", null);

        Manifest manifest = client.manifest(second.withDigest(null)).orElseThrow();
        assertEquals(MediaTypes.DOCKER_MANIFEST, manifest.mediaType());
        assertEquals(second.digest(), manifest.digest());
        assertNotEquals(first.digest(), second.digest(), "a new revision is a vendor update");
        assertEquals(AMD64, client.imageConfigFor(second, AMD64).orElseThrow().platform());
        assertEquals(Optional.empty(), client.imageConfigFor(second, ARM64), "no arm64 image in a one-platform base");
    }

    /** Runs the script; {@code platforms} null leaves the option out. Returns the reference it prints. */
    private static ImageReference publish(String repository, String platforms) {
        List<String> command = new ArrayList<>(List.of(
                Commands.repositoryRoot().resolve("deploy/local/fixture-base.sh").toString(),
                "--registry", registry.host(), "--repository", repository, "--tag", "10.0"));
        if (platforms != null) {
            command.addAll(List.of("--platforms", platforms));
        }
        return ImageReference.parse(Commands.run(command, 120).strip());
    }
}
