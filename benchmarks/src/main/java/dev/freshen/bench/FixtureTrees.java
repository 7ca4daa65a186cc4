package dev.freshen.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** Copies fixture folders (platform images, test apps) into a bench stack's platform-images root. */
final class FixtureTrees {

    private FixtureTrees() {
    }

    /**
     * Copies the tree {@code source} to {@code target}: every file's text through {@code edit} (e.g. the registry
     * name replaced), each {@code platform-image.yaml} then through {@code descriptor} (given the source file), the
     * modes as they are (0744 stays 0744: the build context keeps them, as the docker CLI does).
     *
     * @throws UncheckedIOException naming {@code source} when a file cannot be read or written
     */
    static void copy(Path source, Path target, UnaryOperator<String> edit, BiFunction<Path, String, String> descriptor) {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                    continue;
                }
                String text = edit.apply(Files.readString(file));
                if (file.getFileName().toString().equals("platform-image.yaml")) {
                    text = descriptor.apply(file, text);
                }
                Files.writeString(to, text);
                Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the fixture " + source, e);
        }
    }
}
