package dev.freshen.watcher;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.freshen.descriptor.definition.DefinitionEntry;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The newest published version of a platform image, read from the target registry: its version tag, its manifest
 * digest (an image index for a multi-platform image), and, from its labels, the digest of each base it was built from
 * (empty when it carries none), its definition ({@code dev.freshen.definition}, {@code sha256:…}; null for images
 * published before definitions were labelled), the files of that definition ({@code dev.freshen.definition-files},
 * each with a 16-hex digest; empty when the label is absent or unreadable; not part of the API's answer) and the git
 * commit of its folder it was built from ({@code org.opencontainers.image.revision}; null when unknown).
 *
 * <p>{@code bases} are read from the image of the first platform the image is built for. {@code platforms} has one
 * entry per platform the watcher asked for, each from the labels of <em>that</em> platform's image (the child of the
 * published index, or the published manifest when it is that platform's): filled for an image built for two or more
 * platforms, and for a one-platform image whose published version has no image for its platform; empty otherwise (the
 * one platform is {@code bases}). The definition and revision come from the first platform's image that is published.
 */
public record BuiltFrom(String versionTag, Digest digest, Map<ImageReference, Digest> bases, String definition,
                        @JsonIgnore List<DefinitionEntry> definitionFiles, String revision,
                        List<PlatformBuild> platforms) {

    /**
     * What one platform of the published version was built from: {@code published} false when the version has no
     * image for {@code platform} (then {@code bases} is empty).
     *
     * @param platform {@code os/architecture[/variant]}
     */
    public record PlatformBuild(String platform, boolean published, Map<ImageReference, Digest> bases) {

        public PlatformBuild {
            bases = bases == null ? Map.of() : Map.copyOf(bases);
        }

        /** {@code platform}'s image is not in the published version. */
        public static PlatformBuild notPublished(Platform platform) {
            return new PlatformBuild(platform.toString(), false, Map.of());
        }
    }

    public BuiltFrom {
        bases = Map.copyOf(bases);
        definitionFiles = definitionFiles == null ? List.of() : List.copyOf(definitionFiles);
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
    }

    /** A version read for one platform that has an image for it. */
    public BuiltFrom(String versionTag, Digest digest, Map<ImageReference, Digest> bases, String definition,
                     List<DefinitionEntry> definitionFiles, String revision) {
        this(versionTag, digest, bases, definition, definitionFiles, revision, List.of());
    }

    /** A version known without its definition labels (heard on Kafka, or published before they existed). */
    public BuiltFrom(String versionTag, Digest digest, Map<ImageReference, Digest> bases) {
        this(versionTag, digest, bases, null, List.of(), null, List.of());
    }

    /**
     * The bases {@code platform}'s image of this version was built from: its {@link #platforms} entry (empty when the
     * version has no image for it), else {@link #bases} (a version read for one platform, or heard on Kafka).
     */
    public Optional<Map<ImageReference, Digest>> basesFor(Platform platform) {
        if (platforms.isEmpty()) {
            return Optional.of(bases);
        }
        String name = platform.toString();
        return platforms.stream().filter(p -> p.platform().equals(name)).findFirst()
                .flatMap(p -> p.published() ? Optional.of(p.bases()) : Optional.empty());
    }
}
