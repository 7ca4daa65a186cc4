package dev.freshen.watcher;

import dev.freshen.events.BaseImage;
import dev.freshen.events.Trigger;

import java.util.List;

/** What a check concluded for one platform image. */
public sealed interface Decision {

    /** Every base is at the digest the published image was built from, and its definition is unchanged or unknown. */
    record UpToDate() implements Decision {
    }

    /**
     * The image must be rebuilt from {@code baseImages}; {@code why} says what changed, for logs and the API;
     * {@code trigger} is the run's ({@code base-image-updated}, or {@code definition-changed} when only the definition
     * changed; with the definition change whenever it changed).
     */
    record Rebuild(List<BaseImage> baseImages, String why, Trigger trigger) implements Decision {
        public Rebuild {
            baseImages = List.copyOf(baseImages);
        }
    }

    /**
     * Only the definition changed and the descriptor says {@code rebuildOnChange: false}: a forced run releases it.
     */
    record AwaitingRelease(DefinitionDrift drift) implements Decision {
    }
}
