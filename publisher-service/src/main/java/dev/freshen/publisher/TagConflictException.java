package dev.freshen.publisher;

/**
 * The registry refused to put a tag because the tag is immutable and already names another image (ECR
 * {@code ImageTagAlreadyExistsException}), or a tag that had to be new turned out to be taken. For a version tag this
 * means another run claimed that version first: the publisher recomputes the version and tries again.
 */
public class TagConflictException extends RuntimeException {

    private final String tag;

    public TagConflictException(String tag, String message, Throwable cause) {
        super(message, cause);
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
