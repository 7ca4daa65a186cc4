package dev.freshen.watcher;

import dev.freshen.descriptor.Target;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.util.Optional;

/** What the watcher asks of registries. */
public interface ImageRegistry {

    /** The digest a base tag points at upstream now; empty when the tag does not exist. */
    Optional<Digest> upstreamDigest(ImageReference base);

    /** The newest published version of {@code target} in the target registry; empty when nothing is published. */
    Optional<BuiltFrom> builtFrom(Target target);
}
