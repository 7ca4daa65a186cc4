package dev.freshen.registry;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry's pull budget as its rate-limit headers state it. Docker Hub sends them on manifest requests (GET and
 * HEAD; only GETs are counted), e.g.
 * <pre>
 * ratelimit-limit: 100;w=21600
 * ratelimit-remaining: 76;w=21600
 * docker-ratelimit-source: 203.0.113.7
 * </pre>
 * that is 100 pulls per window of 21600 s (6 h), 76 of them left, counted for that IP address (or account id).
 * Source: Docker docs, "Docker Hub usage and limits" / "View pull rate and limit" (the header names and
 * {@code w=} in seconds); the value syntax {@code <quota>[;w=<seconds>][, <quota>;w=<seconds>...]} is that of the IETF
 * draft "RateLimit header fields for HTTP" ({@code draft-ietf-httpapi-ratelimit-headers}, before -07).
 *
 * <p>Parsing is tolerant: header names are case-insensitive, values may be repeated or comma-separated, {@code ;w=}
 * may be missing, other parameters are ignored, and items that are not a non-negative integer of at most 12 digits
 * are skipped. When
 * several items are given, the smallest {@code remaining} wins (the tightest budget), its window is its own {@code w}
 * (else that of the limit), and the limit is the item with the same window (else the first).
 *
 * @param limit     requests allowed per window, 0 or more
 * @param remaining requests left in the current window, 0 or more
 * @param window    the window's length; empty when the registry did not say
 * @param source    what the registry counts the requests for ({@code docker-ratelimit-source}: an IP address or an
 *                  account id), empty when not sent; for logs only
 */
record RateLimitHeaders(long limit, long remaining, Optional<Duration> window, Optional<String> source) {

    static final String LIMIT = "ratelimit-limit";
    static final String REMAINING = "ratelimit-remaining";
    static final String SOURCE = "docker-ratelimit-source";

    private static final Pattern ITEM = Pattern.compile("\\s*(\\d{1,12})\\s*((?:;[^;]*)*)");
    private static final Pattern WINDOW = Pattern.compile(";\\s*w\\s*=\\s*(\\d{1,12})\\s*(?=;|$)");

    /** One quota item: {@code 100;w=21600}. */
    private record Item(long value, Optional<Duration> window) {
    }

    /**
     * The budget in {@code headers}, or empty when they lack a readable {@code ratelimit-limit} or
     * {@code ratelimit-remaining} (most registries send neither).
     */
    static Optional<RateLimitHeaders> of(HttpHeaders headers) {
        return parse(headers.allValues(LIMIT), headers.allValues(REMAINING), headers.firstValue(SOURCE));
    }

    /** {@link #of} for the raw values of the two headers (each line as sent) and the source header. */
    static Optional<RateLimitHeaders> parse(List<String> limitValues, List<String> remainingValues,
                                            Optional<String> sourceValue) {
        List<Item> limits = items(limitValues);
        List<Item> remainings = items(remainingValues);
        if (limits.isEmpty() || remainings.isEmpty()) {
            return Optional.empty();
        }
        Item remaining = remainings.get(0);
        for (Item item : remainings) {
            if (item.value() < remaining.value()) {
                remaining = item;
            }
        }
        Optional<Duration> window = remaining.window();
        Item limit = limits.get(0);
        if (window.isPresent()) {
            for (Item item : limits) {
                if (item.window().equals(window)) {
                    limit = item;
                    break;
                }
            }
        } else {
            window = limit.window();
        }
        Optional<String> source = sourceValue.map(String::strip).filter(s -> !s.isEmpty());
        return Optional.of(new RateLimitHeaders(limit.value(), remaining.value(), window, source));
    }

    private static List<Item> items(List<String> values) {
        List<Item> items = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                Matcher item = ITEM.matcher(part);
                if (!item.matches()) {
                    continue;
                }
                Matcher w = WINDOW.matcher(item.group(2).strip());
                Optional<Duration> window = Optional.empty();
                while (w.find()) {
                    long seconds = Long.parseLong(w.group(1));
                    window = seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
                }
                items.add(new Item(Long.parseLong(item.group(1)), window));
            }
        }
        return items;
    }
}
