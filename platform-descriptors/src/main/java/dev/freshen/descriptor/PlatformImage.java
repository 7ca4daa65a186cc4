package dev.freshen.descriptor;

import dev.freshen.descriptor.definition.Definition;
import dev.freshen.events.image.ImageReference;

import java.nio.file.Path;
import java.util.List;

/**
 * One platform image as found on disk: its id (folder path relative to the platform-images root, e.g.
 * {@code net10/runtime}), its folder (the build context), descriptor, parsed Dockerfile, the integration-test
 * application's folder and Dockerfile (when the descriptor has an integration test), a hash of the image
 * folder's content that changes whenever any file in it changes (what the watcher rescans on), and the image's
 * {@link Definition}: what defines its build, the {@code dev.freshen.definition} label.
 */
public record PlatformImage(String id, Path directory, Descriptor descriptor, Path dockerfilePath, Dockerfile dockerfile,
                            Path appDirectory, Path appDockerfilePath, String contentHash,
                            Definition definition) {

    public static final String DESCRIPTOR_FILE = "platform-image.yaml";

    /** The bases of the Dockerfile, by tag, in order: what the watcher watches and the builder pins. */
    public List<ImageReference> baseImages() {
        return dockerfile.externalBases();
    }

    /** The bases pinned by digest alone in the Dockerfile ({@code name@sha256:...}): pinned, not watched. */
    public List<ImageReference> pinnedBases() {
        return dockerfile.pinnedBases();
    }

    public boolean hasIntegrationTest() {
        return descriptor.integrationTest() != null;
    }
}
