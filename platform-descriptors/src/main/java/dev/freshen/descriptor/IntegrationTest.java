package dev.freshen.descriptor;

import dev.freshen.events.Durations;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The real application that proves a candidate: built from {@code app} (a folder relative to the platform-images
 * root) with every {@code FROM replaceFrom} replaced by the candidate digest, run with {@code port} published on
 * 127.0.0.1, and sent {@code request}; the answer must match {@code expect}.
 *
 * <p>{@code platforms}: of a multi-platform image, the platforms the application is built and run on (a subset of the
 * descriptor's {@code platforms}, each once); empty means all of them ({@link #platformsOr(List)}).
 */
public record IntegrationTest(String app, String dockerfile, String replaceFrom, int port, Request request,
                              Expect expect, Duration startupTimeout, boolean allowBuildWarnings,
                              List<Platform> platforms) {

    private static final java.util.List<String> METHOD_ORDER = java.util.List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final Set<String> METHODS = Set.copyOf(METHOD_ORDER);

    /** The HTTP request sent to the running application. */
    public record Request(String method, String path, Map<String, String> headers, String body) {
        public Request {
            method = method == null ? "GET" : checkMethod(method);
            path = path == null ? "/" : path;
            checkPath(path);
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        /** The method in upper case. */
        static String checkMethod(String method) {
            String upper = method.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(upper)) {
                throw new InvalidField("method", "'" + method + "' is not one of " + String.join(", ", METHOD_ORDER));
            }
            return upper;
        }

        static void checkPath(String path) {
            if (!path.startsWith("/")) {
                throw new InvalidField("path", "must start with '/', was '" + path + "'");
            }
        }
    }

    /** What the answer must be. */
    public record Expect(int status, String bodyContains) {
        public Expect {
            status = status == 0 ? 200 : status;
            checkStatus(status);
        }

        static void checkStatus(int status) {
            if (status < 100 || status > 599) {
                throw new InvalidField("status", "must be an HTTP status (100-599), was " + status);
            }
        }
    }

    public IntegrationTest {
        InvalidField.required(app, "app");
        dockerfile = dockerfile == null ? "Dockerfile" : dockerfile;
        InvalidField.required(replaceFrom, "replaceFrom");
        checkReplaceFrom(replaceFrom);
        checkPort(port);
        request = request == null ? new Request(null, null, null, null) : request;
        expect = expect == null ? new Expect(200, null) : expect;
        startupTimeout = startupTimeout == null ? Duration.ofSeconds(60) : startupTimeout;
        checkStartupTimeout(startupTimeout);
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        if (new java.util.HashSet<>(platforms).size() != platforms.size()) {
            throw new InvalidField("integrationTest.platforms", "lists a platform twice: " + platforms);
        }
    }

    /** A test run on every platform of the image. */
    public IntegrationTest(String app, String dockerfile, String replaceFrom, int port, Request request, Expect expect,
                           Duration startupTimeout, boolean allowBuildWarnings) {
        this(app, dockerfile, replaceFrom, port, request, expect, startupTimeout, allowBuildWarnings, List.of());
    }

    /** The platforms to run the application on: {@code platforms}, or all of {@code imagePlatforms} when empty. */
    public List<Platform> platformsOr(List<Platform> imagePlatforms) {
        return platforms.isEmpty() ? imagePlatforms : platforms;
    }

    static void checkReplaceFrom(String replaceFrom) {
        try {
            ImageReference.parse(replaceFrom);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("replaceFrom", e.getMessage());
        }
    }

    static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidField("port", "must be the container port the application listens on (1-65535), was " + port);
        }
    }

    static void checkStartupTimeout(Duration startupTimeout) {
        if (startupTimeout.isNegative() || startupTimeout.isZero() || startupTimeout.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new InvalidField("startupTimeout", "must be between 1s and 30m, was " + Durations.human(startupTimeout));
        }
    }
}
