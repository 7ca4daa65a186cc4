package dev.freshen.watcher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.TagOwners;
import dev.freshen.descriptor.Target;
import dev.freshen.events.BaseImage;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.testing.SettableClock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A three-level chain for plain tests: {@code base/runtime} FROM an upstream tag, {@code base/aspnet} FROM runtime's
 * extra tag in the shared repository {@code platform/dotnet} (and, optionally, the upstream tag directly as well),
 * {@code team/app} FROM aspnet's. A fake registry holds where each tag points and what each image was built from; a
 * publish moves both, as the publisher would.
 */
public final class ChainFixture {

    public static final String REGISTRY = "registry.test:5000";
    public static final ImageReference UPSTREAM = ImageReference.parse("upstream.test/dotnet/runtime:10.0");
    public static final ImageReference RUNTIME_TAG = ImageReference.parse(REGISTRY + "/platform/dotnet:runtime-10.0");
    public static final ImageReference ASPNET_TAG = ImageReference.parse(REGISTRY + "/platform/dotnet:aspnet-10.0");
    public static final String RUNTIME = "base/runtime";
    public static final String ASPNET = "base/aspnet";
    public static final String APP = "team/app";

    public final Path root;
    public final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T08:00:00Z"));
    public final RunLedger ledger = new RunLedger();
    public final List<Object> started = new ArrayList<>();
    /** tag (or digest-only) reference -> where it points */
    public final Map<ImageReference, Upstream> tags = new ConcurrentHashMap<>();
    /** tag prefix -> the newest published version */
    public final Map<String, BuiltFrom> published = new ConcurrentHashMap<>();
    public ImageChecker checker;
    private int versions;

    public ChainFixture(Path root, boolean aspnetUsesUpstreamToo) throws IOException {
        this.root = root;
        image(RUNTIME, "runtime-10.0", "FROM " + UPSTREAM + "\n");
        image(ASPNET, "aspnet-10.0", aspnetUsesUpstreamToo
                ? "FROM " + UPSTREAM + " AS tools\nFROM " + RUNTIME_TAG + "\nCOPY --from=tools /x /x\n"
                : "FROM " + RUNTIME_TAG + "\n");
        image(APP, "app-1", "FROM " + ASPNET_TAG + "\n");
        ledger.markComplete();
        checker = newChecker(ledger);
    }

    /** A checker of the same folder and registry with its own ledger and list of started runs. */
    public ImageChecker newChecker(RunLedger runLedger) {
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(root, TagOwners.NONE, REGISTRY).scan();
        if (!scan.errors().isEmpty()) {
            throw new IllegalStateException(scan.errors().toString());
        }
        ImageRegistry registry = new ImageRegistry() {
            @Override
            public Optional<Upstream> upstream(ImageReference base, Platform platform) {
                Upstream known = tags.get(base);
                if (known == null && base.tag() == null && base.digest() != null) {
                    return Optional.of(new Upstream(platform, base.digest(), base.digest())); // a manifest by digest
                }
                return Optional.ofNullable(known);
            }

            @Override
            public Optional<BuiltFrom> builtFrom(Target target, java.util.List<Platform> platforms) {
                return Optional.ofNullable(published.get(target.tagPrefix()));
            }
        };
        return new ImageChecker(() -> scan, registry, runLedger, runLedger == ledger ? started::add : e -> { },
                clock, Platform.LINUX_AMD64);
    }

    public void upstreamAt(Digest digest) {
        tags.put(UPSTREAM, new Upstream(Platform.LINUX_AMD64, digest, digest));
    }

    /** {@code imageId} was published (long ago) at {@code digest}, built from {@code bases}; its tag names it. */
    public void publishedAt(String imageId, Digest digest, Map<ImageReference, Digest> bases) {
        String prefix = prefix(imageId);
        String version = prefix + "-1." + (versions++) + ".0";
        published.put(prefix, new BuiltFrom(version, digest, bases));
        tags.put(tagOf(imageId), new Upstream(Platform.LINUX_AMD64, digest, digest));
    }

    /**
     * The run {@code runId} of {@code imageId} publishes {@code digest} (an index whose linux/amd64 manifest is
     * {@code manifest}): the registry moves and the ledger reads the {@code ImagePublished}, which is returned.
     */
    public ImagePublished publish(String runId, String imageId, Digest digest, Digest manifest, Map<ImageReference, Digest> bases) {
        publishedAt(imageId, digest, bases);
        tags.put(tagOf(imageId), new Upstream(Platform.LINUX_AMD64, digest, manifest));
        ImageReference name = ImageReference.parse(REGISTRY + "/platform/dotnet");
        tags.put(name.withDigest(digest), new Upstream(Platform.LINUX_AMD64, digest, manifest));
        String version = published.get(prefix(imageId)).versionTag();
        ImageReference image = name.withTag(version).withDigest(digest);
        List<BaseImage> baseImages = bases.entrySet().stream()
                .map(e -> new BaseImage(e.getKey(), e.getValue(), null)).toList();
        clock.advance(Duration.ofMinutes(1));
        ImagePublished event = new ImagePublished(runId, imageId, 1, clock.instant(), Trigger.baseImageUpdated(),
                baseImages, image, version, List.of(version, tagOf(imageId).tag()), List.of());
        ledger.apply(event);
        return event;
    }

    public PipelineFailed fail(String runId, String imageId) {
        clock.advance(Duration.ofMinutes(1));
        PipelineFailed event = new PipelineFailed(runId, imageId, 1, clock.instant(), Stage.TEST, FailureKind.PERMANENT,
                "the integration test failed", "log", Trigger.baseImageUpdated());
        ledger.apply(event);
        return event;
    }

    public static ImageReference tagOf(String imageId) {
        return switch (imageId) {
            case RUNTIME -> RUNTIME_TAG;
            case ASPNET -> ASPNET_TAG;
            default -> ImageReference.parse(REGISTRY + "/team/app:latest");
        };
    }

    private static String prefix(String imageId) {
        return switch (imageId) {
            case RUNTIME -> "runtime-10.0";
            case ASPNET -> "aspnet-10.0";
            default -> "app-1";
        };
    }

    private void image(String id, String prefix, String dockerfile) throws IOException {
        Path folder = Files.createDirectories(root.resolve(id));
        String repository = id.equals(APP) ? "team/app" : "platform/dotnet";
        String extraTag = id.equals(APP) ? "latest" : tagOf(id).tag();
        Files.writeString(folder.resolve("platform-image.yaml"), "target: {repository: " + repository
                + ", tagPrefix: '" + prefix + "', extraTags: [" + extraTag + "]}\n");
        Files.writeString(folder.resolve("Dockerfile"), dockerfile);
    }
}
