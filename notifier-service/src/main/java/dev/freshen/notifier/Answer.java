package dev.freshen.notifier;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an endpoint answered to one post: the HTTP status, the response headers (names as sent, values in order) and
 * the body decoded as UTF-8. It may hold the endpoint's URL (some error bodies quote it): never log it as is, let
 * {@link JsonPost} quote it.
 */
public record Answer(int status, Map<String, List<String>> headers, String body) {

    public Answer {
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
    }

    /** An answer without headers. */
    public static Answer of(int status, String body) {
        return new Answer(status, Map.of(), body);
    }

    /** The first value of header {@code name} (compared ignoring case). */
    public Optional<String> header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0)).findFirst();
    }

    /** True for 200-299. */
    public boolean successful() {
        return status / 100 == 2;
    }
}
