package dev.freshen.registry;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenCacheTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-06-01T12:00:00Z"));
    private final TokenCache cache = new TokenCache(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    });

    @Test
    void tokensArePerHostAndScope() {
        cache.put("r:5000", "repository:a:pull", "t1", Duration.ofSeconds(300), null);

        assertEquals(Optional.of("t1"), cache.get("r:5000", "repository:a:pull"));
        assertEquals(Optional.empty(), cache.get("r:5000", "repository:a:pull,push"));
        assertEquals(Optional.empty(), cache.get("r:5001", "repository:a:pull"));
    }

    @Test
    void usedUntilShortlyBeforeExpiry() {
        cache.put("r", "s", "t", Duration.ofSeconds(300), null);

        advance(Duration.ofSeconds(289));
        assertEquals(Optional.of("t"), cache.get("r", "s"));
        advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), cache.get("r", "s"), "10s before the 300s expiry");
    }

    @Test
    void shortLivedTokensKeepATenthOfTheirLifetimeAsMargin() {
        cache.put("r", "s", "t", Duration.ofSeconds(60), null);

        advance(Duration.ofSeconds(53));
        assertEquals(Optional.of("t"), cache.get("r", "s"));
        advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), cache.get("r", "s"));
    }

    @Test
    void issuedAtInThePastShortensTheLifeButOneInTheFutureIsIgnored() {
        cache.put("r", "past", "t", Duration.ofSeconds(60), now.get().minusSeconds(55));
        cache.put("r", "future", "t", Duration.ofSeconds(60), now.get().plusSeconds(3600));

        assertEquals(Optional.empty(), cache.get("r", "past"));
        advance(Duration.ofSeconds(53));
        assertEquals(Optional.of("t"), cache.get("r", "future"));
        advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), cache.get("r", "future"));
    }

    @Test
    void invalidate() {
        cache.put("r", "s", "t", Duration.ofSeconds(60), null);
        cache.invalidate("r", "s");

        assertEquals(Optional.empty(), cache.get("r", "s"));
    }

    private void advance(Duration duration) {
        now.set(now.get().plus(duration));
    }
}
