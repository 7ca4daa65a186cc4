package dev.freshen.watcher;

import dev.freshen.events.BaseImage;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares content digests, never dates: a platform image must be rebuilt when it was never published, or when, for
 * the platform it is built for, any of its bases is upstream at an image manifest other than the one its newest
 * published version was built from. A base's image index moving while that platform's manifest stays (another
 * platform updated, an attestation attached) is no change.
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
     * @param bases           the image's external bases, by tag, as its Dockerfile names them
     * @param upstream        where each base points upstream now, for the image's platform
     * @param builtFrom       the newest published version, if any: its labels name the digest each base was built
     *                        from (the platform's image manifest; for versions built before per-platform detection,
     *                        whatever the tag named then, which counts as unchanged while the tag still names it)
     * @param drift           the definition on disk against the published one
     * @param rebuildOnChange the descriptor's {@code rebuildOnChange}: false = a changed definition awaits a forced run
     * @throws IllegalArgumentException when {@code upstream} lacks a base
     */
    public static Decision decide(List<ImageReference> bases, Map<ImageReference, Upstream> upstream,
                                  Optional<BuiltFrom> builtFrom, DefinitionDrift drift, boolean rebuildOnChange) {
        List<BaseImage> baseImages = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (ImageReference base : bases) {
            Upstream now = upstream.get(base);
            if (now == null) {
                throw new IllegalArgumentException("no upstream digest for " + base);
            }
            Digest before = builtFrom.map(b -> b.bases().get(base)).orElse(null);
            baseImages.add(new BaseImage(base, now.digest(), before, now.platform()));
            if (!now.digest().equals(before) && !now.tagDigest().equals(before)) {
                changes.add(base + " (" + now.platform() + ") " + (before == null ? "(unknown)" : before.shortHex())
                        + " -> " + now.digest().shortHex());
            }
        }
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
}
