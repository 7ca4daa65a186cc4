package dev.freshen.descriptor;

import java.nio.file.Path;

/** A platform image that cannot be served: the message names the file, the field and what is wrong. */
public class DescriptorException extends RuntimeException {

    private final Path file;

    public DescriptorException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public DescriptorException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
