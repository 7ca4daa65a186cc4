package dev.freshen.events;

import dev.freshen.events.image.ImageReference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labels the builder puts on every platform image, which make the registry the source of truth for "what was
 * this image built from?": the OCI base annotations for the final stage, and {@link #BASE_IMAGES} for every external
 * base (multi-stage Dockerfiles have several).
 */
public final class ImageLabels {

    public static final String BASE_NAME = "org.opencontainers.image.base.name";
    public static final String BASE_DIGEST = "org.opencontainers.image.base.digest";
    public static final String CREATED = "org.opencontainers.image.created";
    public static final String REVISION = "org.opencontainers.image.revision";
    public static final String RUN_ID = "dev.freshen.run-id";
    public static final String IMAGE_ID = "dev.freshen.image-id";
    /** Every external base pinned, space-separated: {@code <ref:tag>@sha256:… <ref:tag>@sha256:…}. */
    public static final String BASE_IMAGES = "dev.freshen.base-images";

    /**
     * The hash of the image's definition ({@code sha256:…} over the canonical list of Dockerfile, build-context files
     * and build settings; {@code docs/descriptors.md}, "What defines an image"): the watcher compares it with the
     * definition on disk to find a changed definition.
     */
    public static final String DEFINITION = "dev.freshen.definition";
    /**
     * The definition's entries, one per line after the line {@code freshen-definition-v1}: {@code <kind> <first 16
     * hex of the entry's sha256> <path>}; left out when longer than 32 KiB. Lets the watcher name the files that differ.
     */
    public static final String DEFINITION_FILES = "dev.freshen.definition-files";

    private ImageLabels() {
    }

    /** The value of {@link #BASE_IMAGES} for pinned base references. */
    public static String baseImagesValue(List<ImageReference> pinnedBases) {
        return String.join(" ", pinnedBases.stream().map(ImageReference::toString).toList());
    }

    /**
     * Which digest each base (by its tag reference) had when the image was built, read from its labels:
     * {@link #BASE_IMAGES} when present, else the OCI base annotations. Unreadable entries are skipped.
     */
    public static Map<ImageReference, dev.freshen.events.image.Digest> builtFrom(Map<String, String> labels) {
        Map<ImageReference, dev.freshen.events.image.Digest> bases = new LinkedHashMap<>();
        List<String> pinned = new ArrayList<>();
        String all = labels.get(BASE_IMAGES);
        if (all != null && !all.isBlank()) {
            pinned.addAll(List.of(all.strip().split("\\s+")));
        } else if (labels.get(BASE_NAME) != null && labels.get(BASE_DIGEST) != null) {
            pinned.add(labels.get(BASE_NAME) + "@" + labels.get(BASE_DIGEST));
        }
        for (String value : pinned) {
            try {
                ImageReference ref = ImageReference.parse(value);
                if (ref.isPinned()) {
                    bases.put(ref.withDigest(null), ref.digest());
                }
            } catch (IllegalArgumentException e) {
                // a label written by hand or another tool: not ours to trust
            }
        }
        return bases;
    }
}
