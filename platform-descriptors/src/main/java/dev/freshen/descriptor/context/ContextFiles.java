package dev.freshen.descriptor.context;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * What a build context folder sends, as the docker CLI and BuildKit send it: every file, folder and symbolic link (not
 * followed) that the folder's {@link DockerIgnore} does not exclude, found by BuildKit's walk
 * ({@code tonistiigi/fsutil: filter.go}): an excluded folder is skipped unless an exception may re-include something in
 * it ({@link DockerIgnore#mayReincludeUnder}); an excluded folder walked for such an exception is sent only when
 * something inside it is. Sockets, pipes and devices are left out. The Dockerfile and the {@code .dockerignore} are
 * files like any other: in when not excluded, out when excluded.
 *
 * <p>The builder sends these entries ({@code docker-engine}'s {@code BuildContext} writes the tar); the definition
 * hash counts their files ({@code dev.freshen.descriptor.definition.Definitions}), so that both read the same list.
 * {@code DockerIgnoreIT} (docker-engine) holds the list to what BuildKit receives.
 */
public final class ContextFiles {

    /**
     * One entry of the context.
     *
     * @param path       slash-separated, relative to the context folder, e.g. {@code ca-certificates/corp.crt}
     * @param source     the file, folder or link on disk
     * @param attributes its attributes, the link's own for a link
     */
    public record Entry(String path, Path source, BasicFileAttributes attributes) {
    }

    private ContextFiles() {
    }

    /**
     * The entries of {@code folder} that Docker sends, parents before their entries, by name within a folder.
     *
     * @throws ContextException when the {@code .dockerignore} has a malformed pattern (naming the line) or a folder that
     *                          is sent (or the {@code .dockerignore}) cannot be read (naming it)
     */
    public static List<Entry> entries(Path folder) {
        DockerIgnore ignore = dockerIgnore(folder);
        List<Entry> entries = new ArrayList<>();
        walk(folder, folder, ignore, null, new ArrayList<>(), entries);
        return entries;
    }

    /**
     * The {@code .dockerignore} of {@code folder}, or {@link DockerIgnore#none()} when it has none.
     *
     * @throws ContextException when it cannot be read or has a malformed pattern
     */
    public static DockerIgnore dockerIgnore(Path folder) {
        Path file = folder.resolve(DockerIgnore.FILE_NAME);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return DockerIgnore.none();
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw ContextException.unreadable(DockerIgnore.FILE_NAME, "cannot read " + DockerIgnore.FILE_NAME
                    + " in the build context: " + reason(e), e);
        }
        try {
            return DockerIgnore.parse(content);
        } catch (DockerIgnore.InvalidPattern e) {
            throw ContextException.ignoreFileInvalid(e);
        }
    }

    /**
     * Walks {@code dir}; {@code pending} holds the excluded folders above that are walked for exceptions, sent only
     * once something inside them is.
     */
    private static void walk(Path root, Path dir, DockerIgnore ignore, DockerIgnore.Match dirMatch, List<Entry> pending,
                             List<Entry> entries) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        } catch (IOException e) {
            throw unreadable(root, dir, e);
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path child : children) {
            String path = root.relativize(child).toString().replace('\\', '/');
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw unreadable(root, child, e);
            }
            if (attributes.isOther()) {
                continue;
            }
            DockerIgnore.Match match = ignore.match(path, dirMatch);
            Entry entry = new Entry(path, child, attributes);
            if (!match.excluded()) {
                entries.addAll(pending);
                pending.clear();
                entries.add(entry);
                if (attributes.isDirectory()) {
                    walk(root, child, ignore, match, pending, entries);
                }
            } else if (attributes.isDirectory() && ignore.mayReincludeUnder(path)) {
                List<Entry> below = new ArrayList<>(pending);
                below.add(entry);
                int before = entries.size();
                walk(root, child, ignore, match, below, entries);
                if (entries.size() > before) {
                    pending.clear();
                }
            }
        }
    }

    private static ContextException unreadable(Path root, Path path, IOException e) {
        String name = root.relativize(path).toString().replace('\\', '/');
        return ContextException.unreadable(name, "cannot read " + (name.isEmpty() ? "the build context folder " + path
                : name + " in the build context") + ": " + reason(e), e);
    }

    /** An I/O failure in plain words. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "input/output error" : message;
    }
}
