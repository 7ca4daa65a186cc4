package dev.freshen.watcher.api;

import io.vertx.core.http.HttpServerRequest;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rejects API requests whose path, as the client sent it, has dot segments or encoded separators. The HTTP layer
 * would otherwise normalise {@code /images/net10/%2E%2E/etc} into another image id; image ids are paths on disk,
 * so such a request is refused outright with {@code 400 bad-path} instead of being quietly reinterpreted.
 */
public class RawPathGuard {

    private static final Pattern SUSPICIOUS = Pattern.compile("(^|/)(\\.|%2e){1,2}(/|$)|%2f|%5c|\\\\");

    @ServerRequestFilter(preMatching = true)
    public Optional<RestResponse<String>> rejectDotSegments(HttpServerRequest request) {
        String raw = request.uri();
        int query = raw.indexOf('?');
        String path = (query < 0 ? raw : raw.substring(0, query)).toLowerCase(Locale.ROOT);
        if (path.startsWith("/api/") && SUSPICIOUS.matcher(path).find()) {
            return Optional.of(ProblemResponses.of(ApiProblem.badPath()));
        }
        return Optional.empty();
    }
}
