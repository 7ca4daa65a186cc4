package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;

import java.util.List;
import java.util.Map;

/**
 * One external base of a platform image: the reference as written in its Dockerfile's FROM (by tag),
 * the upstream digest the run builds from, and the digest the current platform image was built from
 * ({@code null} when it was never published or nobody knows), and, when the Dockerfile's reference carries a digest
 * too ({@code name:tag@sha256:…}, as Renovate and Dependabot commit it), that digest, which the run replaced by
 * {@code digest} ({@code null} for a reference by tag alone).
 *
 * <p>{@code platform} says which platform {@code digest} is the image manifest of: the watcher and the builder resolve
 * a tag that names an image index to the manifest of the platform the image is built for, so that a base whose other
 * platforms moved is no change, and the build is pinned to exactly that manifest. {@code null} in events written
 * before the field existed, where {@code digest} is whatever the tag named (index or manifest).
 *
 * <p>{@code platforms} is set only for a multi-platform image (two or more platforms): one entry per platform, each
 * with that platform's manifest of this base now and when the published image was built; {@code digest},
 * {@code previousDigest} and {@code platform} then repeat the first entry, so a reader one version behind sees a
 * coherent single-platform run. Empty (and not written) otherwise.
 *
 * <p>Every stage copies the run's bases into the event it writes; fields a newer writer added are kept in
 * {@link #unknownFields()} (see the package description).
 */
public record BaseImage(ImageReference reference, Digest digest, Digest previousDigest, Digest pinnedInDockerfile,
                        Platform platform, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<BasePlatform> platforms,
                        @JsonAnySetter Map<String, JsonNode> unknownFields) {

    public BaseImage {
        Require.present(reference, "BaseImage", "reference");
        Require.present(digest, "BaseImage", "digest");
        if (reference.isPinned()) {
            throw new IllegalArgumentException("BaseImage: field 'reference' is the tag reference from FROM, without digest: "
                    + reference);
        }
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        if (platforms.stream().map(BasePlatform::platform).distinct().count() != platforms.size()) {
            throw new IllegalArgumentException("BaseImage: field 'platforms' names a platform twice: " + platforms);
        }
        unknownFields = UnknownFields.copyOf(unknownFields);
    }

    /** A base of a single-platform run (no {@code platforms} list), as written before multi-platform images. */
    public BaseImage(ImageReference reference, Digest digest, Digest previousDigest, Digest pinnedInDockerfile,
                     Platform platform, Map<String, JsonNode> unknownFields) {
        this(reference, digest, previousDigest, pinnedInDockerfile, platform, List.of(), unknownFields);
    }

    /** A base with only the fields this version knows. */
    public BaseImage(ImageReference reference, Digest digest, Digest previousDigest) {
        this(reference, digest, previousDigest, null, null, List.of(), Map.of());
    }

    /** A base resolved for {@code platform}: {@code digest} is that platform's image manifest. */
    public BaseImage(ImageReference reference, Digest digest, Digest previousDigest, Platform platform) {
        this(reference, digest, previousDigest, null, platform, List.of(), Map.of());
    }

    /** This base with the digest its Dockerfile reference was pinned to ({@code null}: written by tag alone). */
    public BaseImage withPinnedInDockerfile(Digest written) {
        return new BaseImage(reference, digest, previousDigest, written, platform, platforms, unknownFields);
    }

    /**
     * This base resolved for every platform of a multi-platform image, in the image's platform order. The first
     * entry should be the platform of {@link #digest()}: readers one version behind see only that one.
     */
    public BaseImage withPlatforms(List<BasePlatform> resolved) {
        return new BaseImage(reference, digest, previousDigest, pinnedInDockerfile, platform, resolved, unknownFields);
    }

    /**
     * The image manifest this run builds {@code target} from: the {@link #platforms()} entry of {@code target}, else
     * {@link #digest()} when {@link #platform()} is {@code target} or unknown ({@code null}), else {@code null} (this
     * base was not resolved for {@code target}).
     */
    public Digest digestFor(Platform target) {
        for (BasePlatform p : platforms) {
            if (p.platform().equals(target)) {
                return p.digest();
            }
        }
        return platform == null || platform.equals(target) ? digest : null;
    }

    /**
     * {@code reference@digestFor(target)}: exactly what {@code target}'s build starts from.
     *
     * @throws IllegalStateException when this base was not resolved for {@code target}
     */
    public ImageReference pinnedFor(Platform target) {
        Digest d = digestFor(target);
        if (d == null) {
            throw new IllegalStateException("base " + reference + " was not resolved for " + target);
        }
        return reference.withDigest(d);
    }

    /** {@code reference@digest}: exactly what the run builds from. */
    public ImageReference pinned() {
        return reference.withDigest(digest);
    }

    /** Whether the base moved since the published image was built: {@link #digest()} or any platform's manifest. */
    public boolean changed() {
        return !digest.equals(previousDigest) || platforms.stream().anyMatch(BasePlatform::changed);
    }

    /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> unknownFields() {
        return unknownFields;
    }
}
