package dev.freshen.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 9110 §10.2.3 (delay-seconds / HTTP-date) and §5.6.7 (the three date formats recipients must accept). */
class RetryAfterTest {

    private static final Instant NOW = Instant.parse("1994-11-06T08:49:00Z");

    @Test
    void delaySeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse("120", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse(" 120 ", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("0", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryAfter.parse("007", NOW));
    }

    @Test
    void anAbsurdlyLongDelayIsLongerThanAnyCapWithoutOverflowing() {
        Duration wait = RetryAfter.parse("99999999999999999999999", NOW).orElseThrow();
        assertTrue(wait.compareTo(Duration.ofDays(365L * 30_000)) > 0, wait.toString());
    }

    @Test
    void httpDateInAllThreeFormats() {
        Optional<Duration> in37s = Optional.of(Duration.ofSeconds(37));
        assertEquals(in37s, RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW), "IMF-fixdate");
        assertEquals(in37s, RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW), "obsolete RFC 850 format");
        assertEquals(in37s, RetryAfter.parse("Sun Nov  6 08:49:37 1994", NOW), "obsolete asctime format");
    }

    @Test
    void aTwoDigitYearMoreThan50YearsAheadIsInThePastCentury() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", now), "1994, past");
        assertEquals(Optional.of(Duration.ofSeconds(60)), RetryAfter.parse("Thursday, 01-Jan-26 00:01:00 GMT", now));
    }

    @Test
    void aDateInThePastMeansNow() {
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Sat, 05 Nov 1994 08:49:37 GMT", NOW));
    }

    @Test
    void garbageIsNoWish() {
        for (String value : new String[]{null, "", " ", "soon", "-5", "1.5", "5s", "Sun, 06 Nov 1994 08:49:37 CET",
                "Sun, 32 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 25:49:37 GMT"}) {
            assertEquals(Optional.empty(), RetryAfter.parse(value, NOW), String.valueOf(value));
        }
    }
}
