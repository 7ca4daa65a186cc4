package dev.freshen.cli;

import picocli.CommandLine;

/** {@code --api URL}: where the watcher's API is (env FRESHEN_API; default the local one). */
public class WatcherOption {

    static final String DEFAULT_API = "http://127.0.0.1:8081";

    @CommandLine.Option(names = "--api", paramLabel = "URL",
            description = "the watcher's URL (env FRESHEN_API; default " + DEFAULT_API + ")")
    String api;

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

    /** A client for reads (no key). */
    WatcherApi client() {
        return new WatcherApi(url(), () -> {
            throw new CliException("the watcher's API needs its key for this: set FRESHEN_API_KEY, FRESHEN_API_KEY_FILE "
                    + "or --api-key-file");
        });
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
