package dev.freshen.descriptor.definition;

import dev.freshen.descriptor.Descriptor;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.events.image.Digest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Computes an image's {@link Definition} from its folder: the Dockerfile ({@code D}), every file of the build
 * context ({@code f}, {@code x}, {@code l}) except the descriptor at the folder's root, and the build settings
 * ({@code s}, {@link BuildSettingsText}).
 */
public final class Definitions {

    private Definitions() {
    }

    /**
     * The definition of the image in {@code imageDir} (under the platform-images folder {@code root}), described by
     * {@code descriptor}, built with the Dockerfile at {@code dockerfilePath}.
     *
     * @throws UncheckedIOException when a file cannot be read
     */
    public static Definition of(Path root, Path imageDir, Descriptor descriptor, Path dockerfilePath) {
        List<DefinitionEntry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(imageDir)) {
            for (Path file : files.sorted().toList()) {
                String path = imageDir.relativize(file).toString().replace('\\', '/');
                if (path.isEmpty() || path.equals(PlatformImage.DESCRIPTOR_FILE)) {
                    continue;
                }
                if (Files.isSymbolicLink(file)) {
                    entries.add(new DefinitionEntry(DefinitionEntry.Kind.SYMLINK, path,
                            sha256(Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8))));
                } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    entries.add(new DefinitionEntry(executable(file) ? DefinitionEntry.Kind.EXECUTABLE
                            : DefinitionEntry.Kind.FILE, path, sha256(Files.readAllBytes(file))));
                }
            }
            entries.add(new DefinitionEntry(DefinitionEntry.Kind.DOCKERFILE,
                    imageDir.relativize(dockerfilePath).normalize().toString().replace('\\', '/'),
                    sha256(Files.readAllBytes(dockerfilePath))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the definition of " + imageDir, e);
        }
        entries.add(new DefinitionEntry(DefinitionEntry.Kind.SETTINGS, PlatformImage.DESCRIPTOR_FILE,
                sha256(BuildSettingsText.of(descriptor).getBytes(StandardCharsets.UTF_8))));
        return Definition.of(entries);
    }

    private static boolean executable(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private static String sha256(byte[] content) {
        return Digest.sha256Of(content).hex();
    }
}
