package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.time.Instant;
import java.util.List;

/**
 * The verified digest is now in the target registry under a new version. {@code image} is the reference to
 * paste into a Dockerfile, {@code <registry>/<repository>:<version tag>@sha256:…}; {@code registry},
 * {@code repository} and {@code digest} are also written as plain JSON fields for subscribers.
 */
public record ImagePublished(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                             List<BaseImage> baseImages, ImageReference image, String version, List<String> tags,
                             List<StageTiming> timings) implements FreshenEvent {

    public ImagePublished {
        Require.envelope("ImagePublished", runId, imageId, attempt, occurredAt);
        Require.present(trigger, "ImagePublished", "trigger");
        baseImages = Require.nonEmpty(baseImages, "ImagePublished", "baseImages");
        Require.present(image, "ImagePublished", "image");
        if (!image.isPinned() || image.tag() == null) {
            throw new IllegalArgumentException("ImagePublished: field 'image' must carry the version tag and the digest, was "
                    + image);
        }
        Require.present(version, "ImagePublished", "version");
        tags = Require.nonEmpty(tags, "ImagePublished", "tags");
        if (!tags.contains(image.tag())) {
            throw new IllegalArgumentException("ImagePublished: field 'tags' must include the version tag " + image.tag());
        }
        timings = Require.listOrEmpty(timings);
    }

    @JsonProperty("registry")
    public String registry() {
        return image.registry();
    }

    @JsonProperty("repository")
    public String repository() {
        return image.repository();
    }

    @JsonProperty("digest")
    public Digest digest() {
        return image.digest();
    }
}
