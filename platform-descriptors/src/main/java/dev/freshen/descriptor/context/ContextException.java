package dev.freshen.descriptor.context;

/**
 * A build context that cannot be read as Docker would send it: its {@code .dockerignore} holds a pattern Docker refuses
 * ({@link #ignoreFileInvalid()}; the message names the line, e.g. {@code .dockerignore line 2: the pattern "[" is
 * malformed: ...}), or a file or folder that would be sent cannot be read (the message names it, e.g.
 * {@code cannot read secrets/key in the build context: permission denied}).
 */
public final class ContextException extends IllegalArgumentException {

    private final String file;
    private final int line;
    private final boolean ignoreFileInvalid;

    private ContextException(String message, String file, int line, boolean ignoreFileInvalid, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.line = line;
        this.ignoreFileInvalid = ignoreFileInvalid;
    }

    /** The {@code .dockerignore} holds a pattern Docker refuses, at {@code line} (1-based). */
    public static ContextException ignoreFileInvalid(DockerIgnore.InvalidPattern cause) {
        return new ContextException(cause.getMessage(), DockerIgnore.FILE_NAME, cause.line(), true, cause);
    }

    /** {@code file} (relative to the context; empty for the context folder itself) cannot be read. */
    public static ContextException unreadable(String file, String message, Throwable cause) {
        return new ContextException(message, file, 0, false, cause);
    }

    /** The file at fault, slash-separated, relative to the context folder; empty for the folder itself. */
    public String file() {
        return file;
    }

    /** The 1-based line at fault in {@link #file()}; 0 when the problem is not one line. */
    public int line() {
        return line;
    }

    /** Whether the {@code .dockerignore} is at fault (a malformed pattern), not an unreadable file. */
    public boolean ignoreFileInvalid() {
        return ignoreFileInvalid;
    }
}
