package dev.freshen.descriptor;

import dev.freshen.events.ImageIds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every platform image under a platform-images root: each folder holding a {@code platform-image.yaml}. A bad
 * descriptor is reported in {@link Scan#errors()} and does not keep the others from being served.
 */
public final class PlatformImageCatalog {

    /** The result of one scan: the images that loaded (by id) and the descriptors that did not. */
    public record Scan(Map<String, PlatformImage> images, List<DescriptorException> errors) {
        public Scan {
            images = Map.copyOf(images);
            errors = List.copyOf(errors);
        }

        public Optional<PlatformImage> image(String id) {
            return Optional.ofNullable(images.get(id));
        }
    }

    private final DescriptorLoader loader;

    public PlatformImageCatalog(Path root) {
        this.loader = new DescriptorLoader(root);
    }

    /**
     * A catalog of {@code root}, for a service's start-up: fails with the setting to fix when the folder is missing.
     */
    public static PlatformImageCatalog of(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("the platform-images folder " + root.toAbsolutePath()
                    + " does not exist (set freshen.platform-images-dir / FRESHEN_PLATFORM_IMAGES_DIR)");
        }
        return new PlatformImageCatalog(root);
    }

    public Path root() {
        return loader.root();
    }

    /**
     * Reads one image only (a stage handling one event needs no more): a scan holding that image, or its descriptor
     * error, or nothing when there is no such folder with a descriptor.
     */
    public Scan scan(String imageId) {
        try {
            ImageIds.validate(imageId);
        } catch (IllegalArgumentException e) {
            return new Scan(Map.of(), List.of());
        }
        Path file = loader.root().resolve(imageId).resolve(PlatformImage.DESCRIPTOR_FILE);
        if (!Files.isRegularFile(file)) {
            return new Scan(Map.of(), List.of());
        }
        try {
            PlatformImage image = loader.load(file);
            return new Scan(Map.of(image.id(), image), List.of());
        } catch (DescriptorException e) {
            return new Scan(Map.of(), List.of(e));
        }
    }

    public Scan scan() {
        Path root = loader.root();
        if (!Files.isDirectory(root)) {
            throw new UncheckedIOException(new IOException("platform-images root " + root + " is not a folder"));
        }
        Map<String, PlatformImage> images = new TreeMap<>();
        List<DescriptorException> errors = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals(PlatformImage.DESCRIPTOR_FILE)).sorted().toList()) {
                try {
                    PlatformImage image = loader.load(file);
                    images.put(image.id(), image);
                } catch (DescriptorException e) {
                    errors.add(e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + root, e);
        }
        return new Scan(images, errors);
    }
}
