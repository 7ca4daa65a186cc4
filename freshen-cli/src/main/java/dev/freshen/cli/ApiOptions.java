package dev.freshen.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How a command reaches the watcher's API and its write endpoints: {@code --api} and the API key. */
public class ApiOptions {

    static final String DEFAULT_API = WatcherOption.DEFAULT_API;

    @CommandLine.Mixin
    WatcherOption watcher;

    @CommandLine.Option(names = "--api-key-file", paramLabel = "FILE",
            description = "file holding one of the watcher's API keys, for check and force-update over the API "
                    + "(env FRESHEN_API_KEY holds the key itself, FRESHEN_API_KEY_FILE names a file)")
    Path apiKeyFile;

    /** The watcher's base URL, without a trailing slash. */
    String url() {
        return watcher.url();
    }

    /** Whether the operator named the watcher ({@code --api} or {@code FRESHEN_API}) rather than relying on the default. */
    boolean named() {
        return watcher.named();
    }

    WatcherApi client() {
        return new WatcherApi(url(), this::key);
    }

    private String key() {
        String env = System.getenv("FRESHEN_API_KEY");
        if (!WatcherOption.blank(env)) {
            return env.strip();
        }
        Path file = apiKeyFile != null ? apiKeyFile : WatcherOption.blank(System.getenv("FRESHEN_API_KEY_FILE")) ? null
                : Path.of(System.getenv("FRESHEN_API_KEY_FILE").strip());
        if (file == null) {
            throw new CliException("the watcher's API needs its key for this: set FRESHEN_API_KEY, FRESHEN_API_KEY_FILE "
                    + "or --api-key-file");
        }
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new CliException("cannot read the API key file " + file + " (" + Problems.describe(e) + ")");
        }
    }
}
