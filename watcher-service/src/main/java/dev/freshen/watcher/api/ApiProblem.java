package dev.freshen.watcher.api;

import dev.freshen.events.ImageIds;
import dev.freshen.watcher.ImageNotWatchedException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request the API answers with an error: the API's own error type, one factory per kind of problem, rendered by
 * {@link ErrorMappers} as a {@link Problem} ({@code application/problem+json}). The message is the problem's
 * {@code detail}; it names the thing that is wrong and never holds a Java class name or an API key.
 */
public final class ApiProblem extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final String hint;
    private final List<String> suggestions;
    private final List<ImagesResource.ProblemView> problems;
    private final Map<String, String> headers;

    private ApiProblem(int status, String code, String title, String detail, String hint, List<String> suggestions,
                       Map<String, String> headers) {
        this(status, code, title, detail, hint, suggestions, null, headers);
    }

    private ApiProblem(int status, String code, String title, String detail, String hint, List<String> suggestions,
                       List<ImagesResource.ProblemView> problems, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.hint = hint;
        this.suggestions = suggestions;
        this.problems = problems;
        this.headers = Map.copyOf(headers);
    }

    /**
     * {@code 409 image-not-watched}: the image's folder is there, but its descriptor is invalid, so it is neither
     * checked nor built until fixed; the answer lists every problem with where it is and what to do.
     */
    public static ApiProblem imageNotWatched(ImageNotWatchedException e) {
        return new ApiProblem(409, ImageNotWatchedException.CODE, "Image not watched", e.getMessage(), e.hint(), null,
                e.problems().stream().map(ImagesResource.ProblemView::of).toList(), Map.of());
    }

    /**
     * A problem of a kind without a factory of its own (the defaults of the HTTP layer: 405, 406, 415, …).
     *
     * @param code a stable id, lowercase words joined by {@code -}
     */
    public static ApiProblem of(int status, String code, String title, String detail, String hint) {
        return new ApiProblem(status, code, title, detail, hint, null, Map.of());
    }

    /**
     * {@code 404 unknown-image}: no image, watched or invalid, has this id.
     *
     * @param detail what the watcher knows ("unknown platform image 'x'", with the descriptor's error when its folder
     *               exists)
     * @param known  the image ids the watcher knows, watched or invalid, for suggestions ({@link ImageIds#near})
     */
    public static ApiProblem unknownImage(String id, String detail, List<String> known) {
        List<String> near = ImageIds.near(id, known);
        return new ApiProblem(404, "unknown-image", "Unknown platform image", detail, unknownImageHint(near), near, Map.of());
    }

    /** The hint of {@code unknown-image}: the near ids, or where the watched images are listed. */
    public static String unknownImageHint(List<String> near) {
        return near.isEmpty() ? "'freshen status' (GET /api/v1/images) lists the watched images"
                : "did you mean " + String.join(" or ", near) + "?";
    }

    /** {@code 404 unknown-run}. */
    public static ApiProblem unknownRun(String detail) {
        return new ApiProblem(404, "unknown-run", "Unknown run", detail,
                "'freshen runs' (GET /api/v1/runs) lists the recent runs", null, Map.of());
    }

    /** {@code 503 not-ready}: the run ledger is still reading the topics. */
    public static ApiProblem notReady(String detail) {
        return new ApiProblem(503, "not-ready", "Not ready yet", detail,
                "try again in a few seconds; GET /q/health/ready says when the watcher is ready", null,
                Map.of("Retry-After", "5"));
    }

    /** {@code 503 kafka-unavailable}: Kafka did not take a run's trigger event in time. */
    public static ApiProblem kafkaUnavailable(String detail) {
        return new ApiProblem(503, "kafka-unavailable", "Kafka did not take the run", detail,
                "check that Kafka is reachable from the watcher (kafka.bootstrap.servers, GET /q/health/ready), then "
                        + "look for the run ('freshen runs --image <id>') before asking again", null,
                Map.of("Retry-After", "30"));
    }

    /** {@code 400 bad-path}: dot segments, encoded slashes or backslashes in the path ({@link RawPathGuard}). */
    public static ApiProblem badPath() {
        return new ApiProblem(400, "bad-path", "Path not allowed",
                "image ids may not contain '.' or '..' segments, encoded slashes or backslashes",
                "use the image id as it is, slashes included, e.g. /api/v1/images/net10/runtime", null, Map.of());
    }

    /** {@code 400 bad-body}: a body that is not what the endpoint takes. */
    public static ApiProblem badBody(String detail, String hint) {
        return new ApiProblem(400, "bad-body", "Body not understood", detail, hint, null, Map.of());
    }

    /** {@code 400 bad-run-id}. */
    public static ApiProblem badRunId(String id) {
        return new ApiProblem(400, "bad-run-id", "Not a run id", "'" + id + "' is not a run id",
                "a run id is 4-64 lowercase letters, digits or '-', like f-3c9e1a0b7d2e4f5a6b7c8d9e", null, Map.of());
    }

    /** {@code 400 bad-image-id}. */
    public static ApiProblem badImageId(String why) {
        return new ApiProblem(400, "bad-image-id", "Not an image id", why,
                "an image id is the folder under platform-images, e.g. net10/runtime", null, Map.of());
    }

    /** {@code 400 bad-parameter}: a query parameter out of range or of the wrong type. */
    public static ApiProblem badParameter(String detail, String hint) {
        return new ApiProblem(400, "bad-parameter", "Bad query parameter", detail, hint, null, Map.of());
    }

    /** {@code 401 missing-api-key}: no {@code Authorization: Bearer} header, or another scheme. */
    public static ApiProblem missingApiKey(String detail) {
        return new ApiProblem(401, "missing-api-key", "API key needed", detail, keyHint(), null, bearerChallenge());
    }

    /** {@code 401 wrong-api-key}: a key that is none of the watcher's (wrong, or rotated out); never echoed. */
    public static ApiProblem wrongApiKey() {
        return new ApiProblem(401, "wrong-api-key", "API key not accepted",
                "the API key sent is not one of the watcher's keys (a wrong key, or one rotated out)", keyHint(), null,
                bearerChallenge());
    }

    /** {@code 500 internal-error}: the details are in the watcher's log, never in the answer. */
    public static ApiProblem internal() {
        return new ApiProblem(500, "internal-error", "Internal error", "the watcher failed to answer this request",
                "the watcher's log has the details; retry, and report it if it persists", null, Map.of());
    }

    private static String keyHint() {
        return "send Authorization: Bearer <key> with one of the watcher's keys (freshen.watcher.api-keys.<name>); "
                + "the freshen command reads it from FRESHEN_API_KEY, FRESHEN_API_KEY_FILE or --api-key-file";
    }

    private static Map<String, String> bearerChallenge() {
        return Map.of("WWW-Authenticate", "Bearer realm=\"freshen\"");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Headers to send with the answer ({@code WWW-Authenticate}, {@code Retry-After}, {@code Allow}). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The same problem with {@code header} added to its answer. */
    public ApiProblem withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiProblem(status, code, title, getMessage(), hint, suggestions, problems, more);
    }

    /** The body to send. */
    public Problem problem() {
        return new Problem(Problem.TYPE_BASE + code, title, status, getMessage(), code, hint, suggestions, problems);
    }
}
