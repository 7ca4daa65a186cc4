package dev.freshen.docker;

import dev.freshen.descriptor.context.ContextException;
import dev.freshen.descriptor.context.ContextFiles;
import dev.freshen.descriptor.context.ContextFiles.Entry;
import dev.freshen.descriptor.context.DockerIgnore;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A build context folder as the docker CLI sends it: the files its {@code .dockerignore} leaves in, as a tar.
 *
 * <p>What is in it ({@link #entries}) is {@link ContextFiles#entries}: every file, folder and symbolic link (not
 * followed) that {@link DockerIgnore} does not exclude, walked as BuildKit walks; the definition hash counts the same
 * list.
 *
 * <p>The tar ({@link #write}) is what {@code docker build -f - <folder>} sends to the Engine API with the classic
 * builder ({@code docker/cli: cli/command/image/build.go} and {@code build/context.go}:
 * {@code TrimBuildFilesFromExcludes}, {@code AddDockerfileToBuildContext}): the entries above, owned by root, plus the
 * Dockerfile to build under a hidden name {@code .dockerfile.<20 hex>}, and the {@code .dockerignore} (always sent)
 * with that name added as its last line, so that the engine reads both and then removes from the context the
 * Dockerfile and, when its patterns exclude it, the {@code .dockerignore} itself
 * ({@code moby/moby: builder/remotecontext/detect.go}). The hidden name is taken from the Dockerfile's SHA-256 (the
 * CLI takes a random one), so that the same Dockerfile and folder give the same tar and the engine's cache holds.
 */
public final class BuildContext {

    private BuildContext() {
    }

    /**
     * The entries of {@code folder} that Docker sends, parents before their entries, by name within a folder
     * ({@link ContextFiles#entries}).
     *
     * @throws BuildFailure permanent ({@link BuildFailure#CONTEXT_INVALID}) when the {@code .dockerignore} has a
     *                      malformed pattern or a folder that is sent cannot be read
     */
    public static List<Entry> entries(Path folder) {
        try {
            return ContextFiles.entries(folder);
        } catch (ContextException e) {
            throw BuildFailure.permanent(BuildFailure.CONTEXT_INVALID, e.getMessage());
        }
    }

    /** The paths of the regular files {@link #entries} holds, e.g. {@code [Dockerfile, ca-certificates/a.crt]}. */
    public static List<String> files(Path folder) {
        return entries(folder).stream().filter(e -> e.attributes().isRegularFile()).map(Entry::path).toList();
    }

    /**
     * Writes the tar of {@code folder} with {@code dockerfile} (the text to build) to {@code out} (see the class) and
     * returns the Dockerfile's path inside it, for the Engine API's {@code dockerfile} parameter.
     *
     * @throws BuildFailure permanent ({@link BuildFailure#CONTEXT_INVALID}) when the folder cannot be read as a context
     * @throws IOException  when {@code out} cannot be written
     */
    public static String write(Path folder, String dockerfile, OutputStream out) throws IOException {
        byte[] dockerfileBytes = dockerfile.getBytes(StandardCharsets.UTF_8);
        String dockerfileName = ".dockerfile." + sha256(dockerfileBytes).substring(0, 20);
        Path ignoreFile = folder.resolve(DockerIgnore.FILE_NAME);
        byte[] ignoreBytes = Files.isRegularFile(ignoreFile) ? read(ignoreFile, DockerIgnore.FILE_NAME)
                : DockerIgnore.FILE_NAME.getBytes(StandardCharsets.UTF_8);
        List<Entry> entries = entries(folder);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Entry entry : entries) {
            if (entry.path().equals(DockerIgnore.FILE_NAME)) {
                continue;
            }
            writeEntry(tar, entry);
        }
        byte[] ignore = (new String(ignoreBytes, StandardCharsets.UTF_8) + "\n" + dockerfileName + "\n")
                .getBytes(StandardCharsets.UTF_8);
        writeFile(tar, DockerIgnore.FILE_NAME, ignore);
        writeFile(tar, dockerfileName, dockerfileBytes);
        tar.finish();
        tar.flush();
        return dockerfileName;
    }

    private static void writeEntry(TarArchiveOutputStream tar, Entry entry) throws IOException {
        BasicFileAttributes attributes = entry.attributes();
        TarArchiveEntry header;
        if (attributes.isSymbolicLink()) {
            header = new TarArchiveEntry(entry.path(), TarConstants.LF_SYMLINK);
            try {
                header.setLinkName(Files.readSymbolicLink(entry.source()).toString());
            } catch (IOException e) {
                throw BuildFailure.permanent(BuildFailure.CONTEXT_INVALID, "cannot read the link " + entry.path()
                        + " in the build context: " + reason(e));
            }
        } else if (attributes.isDirectory()) {
            header = new TarArchiveEntry(entry.path() + "/", TarConstants.LF_DIR);
        } else {
            header = new TarArchiveEntry(entry.path(), TarConstants.LF_NORMAL);
            header.setSize(attributes.size());
        }
        header.setMode(mode(entry) | (attributes.isDirectory() ? 0040000 : attributes.isSymbolicLink() ? 0120000 : 0100000));
        header.setModTime(new Date(attributes.lastModifiedTime().toMillis()));
        header.setIds(0, 0);
        header.setNames("", "");
        if (attributes.isRegularFile()) {
            try (InputStream in = open(entry)) {
                tar.putArchiveEntry(header);
                if (copy(in, tar, attributes.size(), entry.path()) != attributes.size()) {
                    throw BuildFailure.permanent(BuildFailure.CONTEXT_INVALID, entry.path() + " in the build context "
                            + "shrank while it was being sent; build again once nothing writes to the folder");
                }
            }
        } else {
            tar.putArchiveEntry(header);
        }
        tar.closeArchiveEntry();
    }

    /** Copies at most {@code size} bytes (the size in the entry's header, even when the file grew since). */
    private static long copy(InputStream in, OutputStream out, long size, String path) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        while (copied < size) {
            int n;
            try {
                n = in.read(buffer, 0, (int) Math.min(buffer.length, size - copied));
            } catch (IOException e) {
                throw BuildFailure.permanent(BuildFailure.CONTEXT_INVALID, "cannot read " + path + " in the build context: "
                        + reason(e));
            }
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            copied += n;
        }
        return copied;
    }

    private static InputStream open(Entry entry) {
        try {
            return Files.newInputStream(entry.source());
        } catch (IOException e) {
            throw BuildFailure.permanent(BuildFailure.CONTEXT_INVALID, "cannot read " + entry.path()
                    + " in the build context: " + reason(e) + " (exclude it in .dockerignore or make it readable)");
        }
    }

    private static void writeFile(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry header = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        header.setMode(0100600);
        header.setSize(content.length);
        header.setIds(0, 0);
        header.setModTime(new Date(0));
        tar.putArchiveEntry(header);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** The permission bits, setuid, setgid and sticky included (Linux's unix:mode), else the POSIX permissions. */
    private static int mode(Entry entry) {
        try {
            return (Integer) Files.getAttribute(entry.source(), "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            // not Linux: the POSIX permissions, or a default
        }
        try {
            Set<PosixFilePermission> permissions = Files.readAttributes(entry.source(), PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).permissions();
            int mode = 0;
            for (PosixFilePermission p : permissions) {
                mode |= 1 << (8 - p.ordinal());
            }
            return mode;
        } catch (UnsupportedOperationException | IOException e) {
            return entry.attributes().isDirectory() ? 0755 : 0644;
        }
    }

    private static byte[] read(Path file, String name) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw BuildFailure.permanent(BuildFailure.CONTEXT_INVALID, "cannot read " + name + " in the build context: "
                    + reason(e));
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        return EngineErrors.plainWords(e);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
