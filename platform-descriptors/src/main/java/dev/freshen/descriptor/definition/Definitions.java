package dev.freshen.descriptor.definition;

import dev.freshen.descriptor.Descriptor;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.context.ContextException;
import dev.freshen.descriptor.context.ContextFiles;
import dev.freshen.events.image.Digest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes an image's {@link Definition} from its folder (see {@code docs/descriptors.md}, "What defines an image"):
 * <ul>
 * <li>{@code D}: the Dockerfile that {@code build.dockerfile} names, always (also when the {@code .dockerignore}
 *     excludes it: the CLI sends it apart from the context), by its path relative to the image folder
 *     ({@code Dockerfile}, {@code ../shared/Dockerfile});</li>
 * <li>{@code f} and {@code x}: every regular file the build context sends ({@link ContextFiles#entries}: the
 *     {@code .dockerignore} applied as Docker applies it), {@code x} when its owner may execute it (the one mode bit
 *     git keeps), except {@code platform-image.yaml} at the folder's root (the {@code s} entry stands for it);</li>
 * <li>{@code l}: every symbolic link the context sends, by the sha256 of its target text (not followed);</li>
 * <li>{@code s}: the build settings of the descriptor ({@link BuildSettingsText}).</li>
 * </ul>
 * Folders are not entries (git cannot hold an empty one). The content of a file (the Dockerfile included) is hashed as
 * git stores it: with CRLF as LF when the {@code .gitattributes} files under the platform-images root make it text
 * ({@link GitAttributes}), so that a Windows checkout, a Linux checkout and a plain copy give one hash.
 */
public final class Definitions {

    private Definitions() {
    }

    /**
     * The definition of the image in {@code imageDir} (under the platform-images folder {@code root}), described by
     * {@code descriptor}, built with the Dockerfile at {@code dockerfilePath}.
     *
     * @throws ContextException when the folder's {@code .dockerignore} has a malformed pattern, or a file or folder of
     *                          the context (or the Dockerfile) cannot be read
     */
    public static Definition of(Path root, Path imageDir, Descriptor descriptor, Path dockerfilePath) {
        Path base = root.toAbsolutePath().normalize();
        Path dir = imageDir.toAbsolutePath().normalize();
        GitAttributes attributes = GitAttributes.load(base);
        List<DefinitionEntry> entries = new ArrayList<>();
        for (ContextFiles.Entry entry : ContextFiles.entries(dir)) {
            BasicFileAttributes file = entry.attributes();
            if (entry.path().equals(PlatformImage.DESCRIPTOR_FILE) || file.isDirectory()) {
                continue;
            }
            if (file.isSymbolicLink()) {
                entries.add(new DefinitionEntry(DefinitionEntry.Kind.SYMLINK, entry.path(),
                        sha256(target(entry).getBytes(StandardCharsets.UTF_8))));
            } else if (file.isRegularFile()) {
                byte[] content = attributes.toGit(relative(base, entry.source()), read(entry.source(), entry.path()));
                entries.add(new DefinitionEntry(executable(entry.source()) ? DefinitionEntry.Kind.EXECUTABLE
                        : DefinitionEntry.Kind.FILE, entry.path(), sha256(content)));
            }
        }
        Path dockerfile = dockerfilePath.toAbsolutePath().normalize();
        String dockerfileName = relative(dir, dockerfile);
        entries.add(new DefinitionEntry(DefinitionEntry.Kind.DOCKERFILE, dockerfileName,
                sha256(attributes.toGit(relative(base, dockerfile), read(dockerfile, dockerfileName)))));
        entries.add(new DefinitionEntry(DefinitionEntry.Kind.SETTINGS, PlatformImage.DESCRIPTOR_FILE,
                sha256(BuildSettingsText.of(descriptor).getBytes(StandardCharsets.UTF_8))));
        return Definition.of(entries);
    }

    private static String relative(Path from, Path to) {
        return from.relativize(to).toString().replace('\\', '/');
    }

    private static byte[] read(Path file, String shown) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw ContextException.unreadable(shown, "cannot read " + shown + " in the build context: "
                    + (e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage()), e);
        }
    }

    private static String target(ContextFiles.Entry link) {
        try {
            return Files.readSymbolicLink(link.source()).toString();
        } catch (IOException e) {
            throw ContextException.unreadable(link.path(), "cannot read the link " + link.path()
                    + " in the build context: " + e.getMessage(), e);
        }
    }

    private static boolean executable(Path file) {
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    private static String sha256(byte[] content) {
        return Digest.sha256Of(content).hex();
    }
}
