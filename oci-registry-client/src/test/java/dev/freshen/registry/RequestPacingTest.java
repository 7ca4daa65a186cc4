package dev.freshen.registry;

import dev.freshen.retry.StopRequested;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pacing arithmetic and its state per host, on a clock that only the recorded waits move. */
class RequestPacingTest {

    private static final String HUB = "registry-1.docker.io";
    private static final Duration MAX = Duration.ofSeconds(30);

    private final FakeTime time = new FakeTime();
    private final RequestPacing pacing = new RequestPacing(MAX, time.clock, time);

    @Test
    void lowIsAtMostTwentyPercentOfTheLimit() {
        assertTrue(RequestPacing.low(budget(100, 20, 21600)));
        assertFalse(RequestPacing.low(budget(100, 21, 21600)));
        assertTrue(RequestPacing.low(budget(10, 2, 60)));
        assertFalse(RequestPacing.low(budget(10, 3, 60)));
        assertTrue(RequestPacing.low(budget(0, 0, 60)));
    }

    @Test
    void theIntervalMakesTheRestLastTheWindowBoundedByTheMaximum() {
        assertEquals(Duration.ofSeconds(6), RequestPacing.interval(budget(100, 10, 60), MAX));
        assertEquals(Duration.ofMillis(333), RequestPacing.interval(budget(100, 3, 1), MAX), "millisecond precision");
        assertEquals(MAX, RequestPacing.interval(budget(100, 20, 21600), MAX), "Docker Hub: 1080 s, bounded");
        assertEquals(MAX, RequestPacing.interval(budget(100, 0, 60), MAX), "nothing left");
        assertEquals(MAX, RequestPacing.interval(new RateLimitHeaders(100, 10, Optional.empty(), Optional.empty()), MAX),
                "window unknown");
    }

    @Test
    void onlyManifestGetsArePaced() {
        assertTrue(RequestPacing.paced(request("GET", "/v2/library/alpine/manifests/3")));
        assertFalse(RequestPacing.paced(request("HEAD", "/v2/library/alpine/manifests/3")), "HEADs are free");
        assertFalse(RequestPacing.paced(request("GET", "/v2/library/alpine/blobs/sha256:ab")), "blobs are free");
        assertFalse(RequestPacing.paced(request("GET", "/v2/library/alpine/tags/list")));
    }

    @Test
    void aLowBudgetSpacesManifestGetsOfThatHostOnly() {
        pacing.observe(HUB, headers("100;w=60", "10;w=60"));

        for (int i = 0; i < 3; i++) {
            pacing.await(request("GET", "/v2/library/alpine/manifests/3"));
        }
        pacing.await(request("HEAD", "/v2/library/alpine/manifests/3"));
        pacing.await(new RegistryRequest("GET", URI.create("https://ghcr.io/v2/a/b/manifests/1"), "ghcr.io", "",
                Map.of(), null));

        assertEquals(List.of(Duration.ofSeconds(6), Duration.ofSeconds(6), Duration.ofSeconds(6)), time.waits,
                "6 s after the response that showed the budget low, and 6 s apart");
    }

    @Test
    void timeThatPassedAnywayIsNotWaitedAgain() {
        pacing.observe(HUB, headers("100;w=60", "10;w=60"));
        pacing.await(request("GET", "/v2/a/manifests/1"));
        time.clock.advance(Duration.ofSeconds(4));
        pacing.await(request("GET", "/v2/a/manifests/1"));
        time.clock.advance(Duration.ofSeconds(30));
        pacing.await(request("GET", "/v2/a/manifests/1"));

        assertEquals(List.of(Duration.ofSeconds(6), Duration.ofSeconds(2)), time.waits);
        assertTrue(pacing.pacing(HUB));
    }

    @Test
    void aHighBudgetCausesNoWaitsAndEndsThePacing() {
        pacing.observe(HUB, headers("100;w=21600", "76;w=21600"));
        pacing.await(request("GET", "/v2/a/manifests/1"));
        pacing.await(request("GET", "/v2/a/manifests/1"));
        assertFalse(pacing.pacing(HUB));

        pacing.observe(HUB, headers("100;w=21600", "15;w=21600"));
        assertTrue(pacing.pacing(HUB));
        pacing.observe(HUB, HttpHeaders.of(Map.of(), (n, v) -> true));
        assertTrue(pacing.pacing(HUB), "a response without the headers changes nothing");
        pacing.observe(HUB, headers("100;w=21600", "100;w=21600"));
        pacing.await(request("GET", "/v2/a/manifests/1"));
        pacing.await(request("GET", "/v2/a/manifests/1"));

        assertFalse(pacing.pacing(HUB));
        assertEquals(List.of(), time.waits);
    }

    @Test
    void theBudgetIsTakenToHaveRefilledAfterAWholeWindow() {
        pacing.observe(HUB, headers("100;w=60", "1;w=60"));
        time.clock.advance(Duration.ofSeconds(61));
        pacing.await(request("GET", "/v2/a/manifests/1"));
        pacing.await(request("GET", "/v2/a/manifests/1"));

        assertFalse(pacing.pacing(HUB));
        assertEquals(List.of(), time.waits);
    }

    @Test
    void aZeroMaximumTurnsPacingOff() {
        RequestPacing off = new RequestPacing(Duration.ZERO, time.clock, time);
        off.observe(HUB, headers("100;w=60", "0;w=60"));
        off.await(request("GET", "/v2/a/manifests/1"));
        off.await(request("GET", "/v2/a/manifests/1"));

        assertFalse(off.pacing(HUB));
        assertEquals(List.of(), time.waits);
    }

    @Test
    void anInterruptDuringTheWaitIsAStopRequest() {
        RequestPacing interrupted = new RequestPacing(MAX, time.clock, duration -> {
            throw new InterruptedException();
        });
        interrupted.observe(HUB, headers("100;w=60", "0;w=60"));
        try {
            StopRequested stop = assertThrows(StopRequested.class,
                    () -> interrupted.await(request("GET", "/v2/a/manifests/1")));
            assertTrue(stop.getMessage().contains(HUB), stop.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set");
        } finally {
            Thread.interrupted();
        }
    }

    private static RateLimitHeaders budget(long limit, long remaining, long windowSeconds) {
        return new RateLimitHeaders(limit, remaining, Optional.of(Duration.ofSeconds(windowSeconds)), Optional.empty());
    }

    private static HttpHeaders headers(String limit, String remaining) {
        return HttpHeaders.of(Map.of("ratelimit-limit", List.of(limit), "ratelimit-remaining", List.of(remaining)),
                (name, value) -> true);
    }

    private static RegistryRequest request(String method, String path) {
        return new RegistryRequest(method, URI.create("https://" + HUB + path), "docker.io", "", Map.of(), null);
    }
}
