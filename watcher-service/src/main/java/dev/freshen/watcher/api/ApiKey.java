package dev.freshen.watcher.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The API key of the write endpoints, from a value or a file. Never logged. */
public final class ApiKey {

    private final byte[] key;

    private ApiKey(String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @throws IllegalStateException when neither is configured, the file cannot be read, or the key is too short
     */
    public static ApiKey of(Optional<String> value, Optional<Path> file) {
        String key;
        if (value.isPresent() && !value.get().isBlank()) {
            key = value.get().strip();
        } else if (file.isPresent()) {
            try {
                key = Files.readString(file.get()).strip();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the API key file " + file.get() + " (freshen.watcher.api-key-file)",
                        new UncheckedIOException(e));
            }
        } else {
            throw new IllegalStateException("no API key for the watcher's write endpoints: set freshen.watcher.api-key "
                    + "(FRESHEN_WATCHER_API_KEY) or freshen.watcher.api-key-file (FRESHEN_WATCHER_API_KEY_FILE)");
        }
        if (key.length() < 16) {
            throw new IllegalStateException("the watcher's API key must have at least 16 characters");
        }
        return new ApiKey(key);
    }

    byte[] bytes() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "ApiKey[***]";
    }
}
