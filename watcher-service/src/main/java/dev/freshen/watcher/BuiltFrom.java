package dev.freshen.watcher;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.freshen.descriptor.definition.DefinitionEntry;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.util.List;
import java.util.Map;

/**
 * The newest published version of a platform image, read from the target registry: its version tag, its manifest
 * digest, and, from its labels, the digest of each base it was built from (empty when it carries none), its
 * definition ({@code dev.freshen.definition}, {@code sha256:…}; null for images published before definitions were
 * labelled), the files of that definition ({@code dev.freshen.definition-files}, each with a 16-hex digest; empty when
 * the label is absent or unreadable; not part of the API's answer) and the git commit of its folder it was built from
 * ({@code org.opencontainers.image.revision}; null when unknown).
 */
public record BuiltFrom(String versionTag, Digest digest, Map<ImageReference, Digest> bases, String definition,
                        @JsonIgnore List<DefinitionEntry> definitionFiles, String revision) {

    public BuiltFrom {
        bases = Map.copyOf(bases);
        definitionFiles = definitionFiles == null ? List.of() : List.copyOf(definitionFiles);
    }

    /** A version known without its definition labels (heard on Kafka, or published before they existed). */
    public BuiltFrom(String versionTag, Digest digest, Map<ImageReference, Digest> bases) {
        this(versionTag, digest, bases, null, List.of(), null);
    }
}
