package dev.freshen.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.MediaTypes;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.RegistryProcess;
import dev.freshen.testing.SettableClock;
import dev.freshen.watcher.BuiltFrom;
import dev.freshen.watcher.CheckOutcome;
import dev.freshen.watcher.ImageChecker;
import dev.freshen.watcher.ImageRegistry;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.Upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * 1b. Multi-platform bases: what an unchanged check of a base published as an image index costs, and what a
 * platform-by-platform roll-out starts.
 *
 * <ul>
 *     <li>Requests: {@link RegistryClient#platformManifest} against a real registry holding a 3-platform index
 *     (linux/amd64, linux/arm64/v8, linux/arm/v7): the first check, an unchanged check, and a check after another
 *     platform moved; beside it a resolver that reads the index on every check.</li>
 *     <li>Roll-out: the watcher's {@link ImageChecker} (simulated clock, checks every 30 s for 30 min) while the
 *     vendor updates linux/amd64 at 0:00, linux/arm64 at 2:30 and linux/arm/v7 at 5:00; Freshen (per-platform, settle
 *     10m) beside comparing the index digest without a settle window, as before per-platform detection.</li>
 * </ul>
 */
final class MultiPlatformBench {

    private static final String SECTION = "1b multi-platform";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Platform> PLATFORMS = List.of(Platform.LINUX_AMD64, Platform.parse("linux/arm64/v8"),
            Platform.parse("linux/arm/v7"));

    private MultiPlatformBench() {
    }

    static void run(Results results) {
        requests(results);
        rollOut(results);
    }

    private static void requests(Results results) {
        try (RegistryProcess registry = RegistryProcess.start(RegistryProcess.newDirectory("freshen-bench-multi-"), "")) {
            RegistryClient pusher = new RegistryClient(RegistrySettings.defaults());
            ImageReference tag = new ImageReference(registry.host(), "dotnet/runtime", "10.0", null);
            index(pusher, tag, 1);
            RegistryClient client = new RegistryClient(RegistrySettings.defaults());
            long first = requests(client, () -> client.platformManifest(tag, Platform.LINUX_AMD64));
            List<Long> unchanged = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                unchanged.add(requests(client, () -> client.platformManifest(tag, Platform.LINUX_AMD64)));
            }
            index(pusher, tag, 2); // linux/arm64 moved
            long moved = requests(client, () -> client.platformManifest(tag, Platform.LINUX_AMD64));
            RegistryClient reading = new RegistryClient(RegistrySettings.defaults());
            long readEveryTime = requests(reading, () -> {
                Digest index = reading.manifestDigest(tag).orElseThrow();
                reading.manifest(tag.withDigest(index)).orElseThrow();
            });
            results.add(SECTION, "requests per unchanged check of a 3-platform base", Measure.of(unchanged),
                    Measure.once(readEveryTime), "requests", "1", "baseline: HEAD + GET of the index every check");
            results.add(SECTION, "requests of the first check / after another platform moved", Measure.once(first),
                    Measure.once(moved), "requests", "", "baseline column: after arm64 moved (the new index is read once)");
        }
    }

    private static long requests(RegistryClient client, Runnable check) {
        long before = client.stats().requests();
        check.run();
        return client.stats().requests() - before;
    }

    /** A 3-platform index under {@code tag}; {@code arm64Revision} changes only the linux/arm64 manifest. */
    private static void index(RegistryClient client, ImageReference tag, int arm64Revision) {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Platform platform : PLATFORMS) {
            int revision = platform.architecture().equals("arm64") ? arm64Revision : 1;
            Manifest manifest = image(client, tag, platform, revision);
            ObjectNode entry = manifests.addObject().put("mediaType", manifest.mediaType())
                    .put("digest", manifest.digest().toString()).put("size", manifest.content().length);
            ObjectNode p = entry.putObject("platform").put("os", platform.os()).put("architecture", platform.architecture());
            if (platform.variant() != null) {
                p.put("variant", platform.variant());
            }
        }
        client.putManifest(tag.registry(), tag.repository(), tag.tag(), Manifest.of(MediaTypes.OCI_INDEX, bytes(index)));
    }

    private static Manifest image(RegistryClient client, ImageReference tag, Platform platform, int revision) {
        byte[] layer = (platform + " layer " + revision).getBytes(StandardCharsets.UTF_8);
        ObjectNode config = JSON.createObjectNode().put("os", platform.os()).put("architecture", platform.architecture());
        if (platform.variant() != null) {
            config.put("variant", platform.variant());
        }
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(Digest.sha256Of(layer).toString());
        byte[] configBytes = bytes(config);
        Digest configDigest = client.pushBlob(tag.registry(), tag.repository(), configBytes);
        Digest layerDigest = client.pushBlob(tag.registry(), tag.repository(), layer);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", configDigest.toString()).put("size", configBytes.length);
        manifest.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar")
                .put("digest", layerDigest.toString()).put("size", layer.length);
        Manifest result = Manifest.of(MediaTypes.OCI_MANIFEST, bytes(manifest));
        client.putManifest(tag.registry(), tag.repository(), result.digest().toString(), result);
        return result;
    }

    private static byte[] bytes(ObjectNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The roll-out, checked every 30 s for 30 minutes: runs started and when the first started. */
    private static void rollOut(Results results) {
        Outcome freshen = rollOut("settle: 10m\n", false);
        Outcome indexDigest = rollOut("", true);
        if (freshen.runs() != 1) {
            throw new IllegalStateException("a 3-platform roll-out started " + freshen.runs() + " runs, expected exactly 1");
        }
        results.add(SECTION, "roll-out of 3 platforms over 5 min: runs started", Measure.once(freshen.runs()),
                Measure.once(indexDigest.runs()), "runs", "1", "baseline: index digest compared, no settle window");
        results.add(SECTION, "roll-out: minutes from the first update to the run", Measure.once(freshen.firstRunMinutes()),
                Measure.once(indexDigest.firstRunMinutes()), "min", "",
                "settle 10m after the last platform (5:00) moved; baseline at once, then again per platform");
        results.footnote("Multi-platform: requests counted by the registry client (HEAD and GET, no tokens: open "
                + "registry); the roll-out runs the watcher's ImageChecker on a simulated clock with a fake registry "
                + "(amd64 at 0:00, arm64 at 2:30, arm/v7 at 5:00, checks every 30 s); the image is built for linux/amd64.");
    }

    private record Outcome(int runs, double firstRunMinutes) {
    }

    private static Outcome rollOut(String descriptorExtra, boolean compareIndexDigest) {
        Path root;
        try {
            root = Files.createTempDirectory("freshen-bench-rollout-");
            Path folder = Files.createDirectories(root.resolve("bench/rollout"));
            Files.writeString(folder.resolve("Dockerfile"), "FROM mcr.microsoft.com/dotnet/runtime:10.0\n");
            Files.writeString(folder.resolve("platform-image.yaml"),
                    "target: {repository: platform/rollout, tagPrefix: \"10.0\"}\n" + descriptorExtra);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant start = Instant.parse("2026-11-30T10:00:00Z");
        SettableClock clock = new SettableClock(start);
        Map<Platform, Digest> manifests = new LinkedHashMap<>();
        PLATFORMS.forEach(p -> manifests.put(p, Digest.sha256Of((p + " 1").getBytes(StandardCharsets.UTF_8))));
        Digest builtFrom = manifests.get(Platform.LINUX_AMD64);
        ImageRegistry registry = new ImageRegistry() {
            @Override
            public Optional<Upstream> upstream(ImageReference base, Platform platform) {
                Digest index = Digest.sha256Of(manifests.toString().getBytes(StandardCharsets.UTF_8));
                return Optional.of(new Upstream(platform, index, compareIndexDigest ? index : manifests.get(platform)));
            }

            @Override
            public Optional<BuiltFrom> builtFrom(dev.freshen.descriptor.Target target, List<Platform> platforms) {
                Digest index = Digest.sha256Of(("initial").getBytes(StandardCharsets.UTF_8));
                return Optional.of(new BuiltFrom("10.0-1.0.0", index, Map.of(
                        ImageReference.parse("mcr.microsoft.com/dotnet/runtime:10.0"), compareIndexDigest ? index : builtFrom)));
            }
        };
        RunLedger ledger = new RunLedger();
        ledger.markComplete();
        List<Instant> runs = new ArrayList<>();
        PlatformImageCatalog.Scan scan = PlatformImageCatalog.of(root).scan();
        ImageChecker checker = new ImageChecker(() -> scan, registry, ledger, event -> runs.add(clock.instant()), clock,
                Platform.LINUX_AMD64);
        Map<Duration, Platform> updates = Map.of(Duration.ZERO, PLATFORMS.get(0), Duration.ofSeconds(150), PLATFORMS.get(1),
                Duration.ofMinutes(5), PLATFORMS.get(2));
        for (Duration at = Duration.ZERO; at.compareTo(Duration.ofMinutes(30)) <= 0; at = at.plusSeconds(30)) {
            Platform moved = updates.get(at);
            if (moved != null) {
                manifests.put(moved, Digest.sha256Of((moved + " 2").getBytes(StandardCharsets.UTF_8)));
            }
            CheckOutcome outcome = checker.check("bench/rollout");
            if (outcome.result() == CheckOutcome.Result.ERROR) {
                throw new IllegalStateException("roll-out check failed: " + outcome.message());
            }
            clock.advance(Duration.ofSeconds(30));
        }
        double first = runs.isEmpty() ? Double.NaN : Duration.between(start, runs.get(0)).toSeconds() / 60.0;
        return new Outcome(runs.size(), first);
    }
}
