package dev.freshen.watcher;

import dev.freshen.events.BaseImage;
import dev.freshen.events.BasePlatform;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares content digests, never dates: a platform image must be rebuilt when it was never published, or when, for
 * any platform it is built for, any of its bases is upstream at an image manifest other than the one that platform's
 * image in its newest published version was built from, or that version has no image for one of its platforms. A
 * base's image index moving while those platforms' manifests stay (a platform the image is not built for updated, an
 * attestation attached) is no change. A multi-platform image is rebuilt as a whole: one run for all its platforms,
 * whichever moved.
 *
 * <p>The image's definition ({@link DefinitionDrift}) counts too: when no base moved and the definition differs from
 * the published one, the image is rebuilt with trigger {@code definition-changed}, or, with {@code rebuildOnChange:
 * false}, awaits a release (a forced run). When a base moved, the run is a {@code base-image-updated} one that also says
 * what changed in the definition (it builds the new definition either way). An unknown definition (nothing published,
 * or published before definitions were labelled) starts nothing by itself.
 */
public final class UpdateDetector {

    private UpdateDetector() {
    }

    /**
     * How one platform of an image stands against its bases now, for the API: {@code current} (every base is where
     * that platform's published image was built from), {@code moved} (a base moved, or the image does not say what
     * it was built from) or {@code not-published} (nothing is published, or the published version has no image for
     * the platform).
     */
    public enum PlatformState {
        CURRENT, MOVED, NOT_PUBLISHED;

        /** {@code current}, {@code moved}, {@code not-published}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One platform: as {@link #decide(List, List, Map, Optional, DefinitionDrift, boolean)} with the platform of the
     * {@code upstream} entries.
     *
     * @param upstream where each base points upstream now, for the image's platform
     * @throws IllegalArgumentException when {@code upstream} lacks a base
     */
    public static Decision decide(List<ImageReference> bases, Map<ImageReference, Upstream> upstream,
                                  Optional<BuiltFrom> builtFrom, DefinitionDrift drift, boolean rebuildOnChange) {
        Platform platform = upstream.values().stream().findFirst().map(Upstream::platform)
                .orElseThrow(() -> new IllegalArgumentException("no upstream digest for " + bases));
        return decide(bases, List.of(platform), Map.of(platform, upstream), builtFrom, drift, rebuildOnChange);
    }

    /**
     * @param bases           the image's external bases, by tag, as its Dockerfile names them
     * @param platforms       the platforms the image is built for, in the descriptor's order (at least one); with two
     *                        or more, each base of the run lists every platform ({@link BaseImage#platforms()}) and
     *                        {@code digest}/{@code platform} are the first platform's
     * @param upstream        platform -> where each base points upstream now for that platform
     * @param builtFrom       the newest published version, if any: the labels of each platform's image name the digest
     *                        each base was built from for that platform (the platform's image manifest; for versions
     *                        built before per-platform detection, whatever the tag named then, which counts as
     *                        unchanged while the tag still names it); a platform it has no image for reads "not
     *                        published for linux/arm64" and rebuilds
     * @param drift           the definition on disk against the published one
     * @param rebuildOnChange the descriptor's {@code rebuildOnChange}: false = a changed definition awaits a forced run
     * @throws IllegalArgumentException when {@code upstream} lacks a platform or a base
     */
    public static Decision decide(List<ImageReference> bases, List<Platform> platforms,
                                  Map<Platform, Map<ImageReference, Upstream>> upstream, Optional<BuiltFrom> builtFrom,
                                  DefinitionDrift drift, boolean rebuildOnChange) {
        if (platforms.isEmpty()) {
            throw new IllegalArgumentException("no platform for " + bases);
        }
        List<Platform> missing = builtFrom.map(b -> platforms.stream().filter(p -> b.basesFor(p).isEmpty()).toList())
                .orElse(List.of());
        List<BaseImage> baseImages = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (ImageReference base : bases) {
            List<BasePlatform> resolved = new ArrayList<>();
            for (Platform platform : platforms) {
                Upstream now = upstream(upstream, platform, base);
                Digest before = before(builtFrom, platform, base);
                resolved.add(new BasePlatform(platform, now.digest(), before));
                if (!missing.contains(platform) && moved(now, before)) {
                    changes.add(base + " (" + platform + ") " + (before == null ? "(unknown)" : before.shortHex())
                            + " -> " + now.digest().shortHex());
                }
            }
            BasePlatform first = resolved.get(0);
            BaseImage image = new BaseImage(base, first.digest(), first.previousDigest(), first.platform());
            baseImages.add(platforms.size() > 1 ? image.withPlatforms(resolved) : image);
        }
        missing.forEach(platform -> changes.add("not published for " + platform));
        boolean changed = drift.state() == DefinitionDrift.State.CHANGED;
        if (builtFrom.isEmpty()) {
            return new Decision.Rebuild(baseImages, "never published", Trigger.baseImageUpdated());
        }
        if (!changes.isEmpty()) {
            return new Decision.Rebuild(baseImages, String.join(", ", changes) + (changed ? "; " + drift.why() : ""),
                    changed ? Trigger.baseImageUpdated().withDefinition(drift.toChange()) : Trigger.baseImageUpdated());
        }
        if (!changed) {
            return new Decision.UpToDate();
        }
        return rebuildOnChange ? new Decision.Rebuild(baseImages, drift.why(), Trigger.definitionChanged(drift.toChange()))
                : new Decision.AwaitingRelease(drift);
    }

    /**
     * How {@code platform} stands ({@link PlatformState}), by the same rules as {@link #decide}.
     *
     * @param upstream where each base points upstream now for {@code platform}
     * @throws IllegalArgumentException when {@code upstream} lacks a base
     */
    public static PlatformState state(List<ImageReference> bases, Platform platform, Map<ImageReference, Upstream> upstream,
                                      Optional<BuiltFrom> builtFrom) {
        if (builtFrom.flatMap(b -> b.basesFor(platform)).isEmpty()) {
            return PlatformState.NOT_PUBLISHED;
        }
        for (ImageReference base : bases) {
            if (moved(upstream(Map.of(platform, upstream), platform, base), before(builtFrom, platform, base))) {
                return PlatformState.MOVED;
            }
        }
        return PlatformState.CURRENT;
    }

    /**
     * Whether a base is elsewhere now than {@code before} (what the published image was built from; null: unknown):
     * neither the platform's manifest nor the tag's digest (a label written before per-platform detection) is it.
     */
    static boolean moved(Upstream now, Digest before) {
        return before == null || !(now.digest().equals(before) || now.tagDigest().equals(before));
    }

    private static Digest before(Optional<BuiltFrom> builtFrom, Platform platform, ImageReference base) {
        return builtFrom.flatMap(b -> b.basesFor(platform)).map(m -> m.get(base)).orElse(null);
    }

    private static Upstream upstream(Map<Platform, Map<ImageReference, Upstream>> upstream, Platform platform,
                                     ImageReference base) {
        Upstream now = upstream.getOrDefault(platform, Map.of()).get(base);
        if (now == null) {
            throw new IllegalArgumentException("no upstream digest for " + base + " (" + platform + ")");
        }
        return now;
    }
}
