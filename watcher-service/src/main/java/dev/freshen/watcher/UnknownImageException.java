package dev.freshen.watcher;

/** No platform image with that id is being watched (no such folder, or its descriptor is invalid). */
public class UnknownImageException extends RuntimeException {

    public UnknownImageException(String imageId, String hint) {
        super("unknown platform image '" + imageId + "'" + (hint == null ? "" : ": " + hint));
    }
}
