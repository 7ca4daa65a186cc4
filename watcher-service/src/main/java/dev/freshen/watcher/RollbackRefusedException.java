package dev.freshen.watcher;

/**
 * A rollback the watcher will not ask for: the answer's HTTP {@code status}, a stable problem {@code code}
 * ({@code rollback-…}), what is wrong (the message, naming the image and version) and what to do ({@link #hint()}).
 */
public class RollbackRefusedException extends RuntimeException {

    private final int status;
    private final String code;
    private final String hint;

    public RollbackRefusedException(int status, String code, String message, String hint) {
        super(message);
        this.status = status;
        this.code = code;
        this.hint = hint;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String hint() {
        return hint;
    }
}
