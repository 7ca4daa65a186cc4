package dev.freshen.registry;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RateLimitHeadersTest {

    @Test
    void readsDockerHubsHeaders() {
        HttpHeaders headers = HttpHeaders.of(Map.of(
                "RateLimit-Limit", List.of("100;w=21600"),
                "ratelimit-remaining", List.of("76;w=21600"),
                "docker-ratelimit-source", List.of(" 203.0.113.7 ")), (name, value) -> true);

        assertEquals(Optional.of(new RateLimitHeaders(100, 76, Optional.of(Duration.ofHours(6)),
                Optional.of("203.0.113.7"))), RateLimitHeaders.of(headers));
    }

    @Test
    void aMissingWindowIsUnknownAndTheSourceOptional() {
        assertEquals(Optional.of(new RateLimitHeaders(100, 5, Optional.empty(), Optional.empty())),
                parse(List.of("100"), List.of(" 5 ")));
        assertEquals(Optional.of(new RateLimitHeaders(100, 5, Optional.of(Duration.ofSeconds(60)), Optional.empty())),
                parse(List.of("100;w=60"), List.of("5")), "the limit's window when the remaining names none");
    }

    @Test
    void otherParametersAndSpacesAreIgnored() {
        assertEquals(Optional.of(new RateLimitHeaders(100, 7, Optional.of(Duration.ofSeconds(21600)), Optional.empty())),
                parse(List.of("100 ; comment=\"x\" ; w = 21600"), List.of("7;w=21600;policy=pull")));
    }

    @Test
    void ofSeveralValuesTheTightestBudgetWinsWithTheLimitOfItsWindow() {
        assertEquals(Optional.of(new RateLimitHeaders(10, 2, Optional.of(Duration.ofSeconds(1)), Optional.empty())),
                parse(List.of("50;w=60, 10;w=1"), List.of("40;w=60", "2;w=1")));
        assertEquals(Optional.of(new RateLimitHeaders(50, 2, Optional.of(Duration.ofSeconds(30)), Optional.empty())),
                parse(List.of("50;w=60, 10;w=1"), List.of("2;w=30")), "no limit of that window: the first");
    }

    @Test
    void garbageItemsAreSkippedAndNothingReadableIsEmpty() {
        assertEquals(Optional.of(new RateLimitHeaders(100, 3, Optional.empty(), Optional.empty())),
                parse(List.of("lots, 100;w=soon"), List.of("-1, 3")));
        assertEquals(Optional.empty(), parse(List.of("unlimited"), List.of("3")));
        assertEquals(Optional.empty(), parse(List.of("100;w=60"), List.of()));
        assertEquals(Optional.empty(), parse(List.of(), List.of("3")));
        assertEquals(Optional.empty(), parse(List.of("9999999999999"), List.of("3")), "too large to be a count");
        assertEquals(Optional.empty(), RateLimitHeaders.of(HttpHeaders.of(Map.of(), (name, value) -> true)));
    }

    private static Optional<RateLimitHeaders> parse(List<String> limit, List<String> remaining) {
        return RateLimitHeaders.parse(limit, remaining, Optional.empty());
    }
}
