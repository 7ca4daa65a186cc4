package dev.freshen.watcher;

import dev.freshen.events.BaseImage;

import java.util.List;

/** What a check concluded for one platform image. */
public sealed interface Decision {

    /** Every base is at the digest the published image was built from. */
    record UpToDate() implements Decision {
    }

    /** The image must be rebuilt from {@code baseImages}; {@code why} says what changed, for logs and the API. */
    record Rebuild(List<BaseImage> baseImages, String why) implements Decision {
        public Rebuild {
            baseImages = List.copyOf(baseImages);
        }
    }
}
