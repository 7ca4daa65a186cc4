package dev.freshen.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How a command reaches the watcher's API: options, else environment variables, else the local default. */
public class ApiOptions {

    static final String DEFAULT_API = "http://127.0.0.1:8081";

    @CommandLine.Option(names = "--api", paramLabel = "URL",
            description = "the watcher's URL (env FRESHEN_API; default " + DEFAULT_API + ")")
    String api;

    @CommandLine.Option(names = "--api-key-file", paramLabel = "FILE",
            description = "file holding the watcher's API key, for check and force-update over the API "
                    + "(env FRESHEN_API_KEY holds the key itself, FRESHEN_API_KEY_FILE names a file)")
    Path apiKeyFile;

    /** The watcher's base URL, without a trailing slash. */
    String url() {
        String url = !blank(api) ? api.strip() : !blank(System.getenv("FRESHEN_API")) ? System.getenv("FRESHEN_API").strip()
                : DEFAULT_API;
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Whether the operator named the watcher ({@code --api} or {@code FRESHEN_API}) rather than relying on the default. */
    boolean named() {
        return !blank(api) || !blank(System.getenv("FRESHEN_API"));
    }

    WatcherApi client() {
        return new WatcherApi(url(), this::key);
    }

    private String key() {
        String env = System.getenv("FRESHEN_API_KEY");
        if (!blank(env)) {
            return env.strip();
        }
        Path file = apiKeyFile != null ? apiKeyFile
                : blank(System.getenv("FRESHEN_API_KEY_FILE")) ? null : Path.of(System.getenv("FRESHEN_API_KEY_FILE").strip());
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

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
