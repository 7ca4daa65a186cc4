package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;

import java.nio.file.Path;
import java.util.List;

/**
 * One platform image as found on disk: its id (folder path relative to the platform-images root, e.g.
 * {@code net10/runtime}), its folder (the build context), descriptor, parsed Dockerfile, the integration-test
 * application's folder and Dockerfile (when the descriptor has an integration test), and a hash of the image
 * folder's content that changes whenever any file in it changes.
 */
public record PlatformImage(String id, Path directory, Descriptor descriptor, Path dockerfilePath, Dockerfile dockerfile,
                            Path appDirectory, Path appDockerfilePath, String contentHash) {

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
