package dev.freshen.watcher;

import dev.freshen.descriptor.Target;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;

import java.util.List;
import java.util.Optional;

/** What the watcher asks of registries. */
public interface ImageRegistry {

    /**
     * Where a base tag points upstream now for {@code platform}; empty when the tag does not exist.
     *
     * @throws RuntimeException with a message for people when the registry fails or the tag has no image for
     *                          {@code platform} (naming the platforms it has)
     */
    Optional<Upstream> upstream(ImageReference base, Platform platform);

    /**
     * The newest published version of {@code target} in the target registry, its labels read from its image for each
     * of {@code platforms} (the child of an image index for that platform, or the image manifest when its config names
     * that platform or none; never another platform's image): see {@link BuiltFrom#platforms()}; empty when nothing is
     * published.
     *
     * @param platforms the platforms the image is built for, in the descriptor's order (at least one)
     */
    Optional<BuiltFrom> builtFrom(Target target, List<Platform> platforms);
}
