package dev.freshen.messaging;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30));

    @Test
    void doublesFromTheInitialWaitWithHalfOfItRandom() {
        assertEquals(Duration.ofSeconds(1), backoff.delay(1, 0.0));
        assertEquals(Duration.ofSeconds(2), backoff.delay(1, 1.0));
        assertEquals(Duration.ofSeconds(2), backoff.delay(2, 0.0));
        assertEquals(Duration.ofSeconds(4), backoff.delay(2, 1.0));
        assertEquals(Duration.ofSeconds(6), backoff.delay(3, 0.5));
    }

    @Test
    void neverWaitsLongerThanTheMaximumHoweverManyAttemptsFailed() {
        assertEquals(Duration.ofSeconds(30), backoff.delay(5, 1.0));
        assertEquals(Duration.ofSeconds(30), backoff.delay(500, 1.0));
        assertEquals(Duration.ofSeconds(15), backoff.delay(500, 0.0));
    }

    @Test
    void rejectsAMaximumBelowTheInitialWait() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
    }
}
