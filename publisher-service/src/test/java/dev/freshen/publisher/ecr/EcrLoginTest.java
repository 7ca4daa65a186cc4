package dev.freshen.publisher.ecr;

import dev.freshen.ecr.EcrToken;
import dev.freshen.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EcrLoginTest {

    private static final String HOST = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");

    @Test
    void decodesTheTokenIntoBasicCredentialsForTheProxyHost() {
        String token = Base64.getEncoder().encodeToString("AWS:secret:with:colons".getBytes(StandardCharsets.UTF_8));
        EcrToken decoded = EcrToken.decode(token, T0, "https://" + HOST);
        assertEquals("AWS", decoded.username());
        assertEquals("secret:with:colons", decoded.password());
        assertEquals(HOST, decoded.proxyHost());
        assertFalse(decoded.toString().contains("secret"), decoded.toString());
        assertThrows(IllegalArgumentException.class, () -> EcrToken.decode("not base64!", T0, null));
    }

    @Test
    void fetchesANewTokenOnlyWhenLessThanAnHourIsLeft() {
        MutableClock clock = new MutableClock(T0);
        AtomicInteger fetched = new AtomicInteger();
        EcrLogin login = new EcrLogin(() -> {
            fetched.incrementAndGet();
            return new EcrToken("AWS", "pw-" + fetched.get(), clock.instant().plus(Duration.ofHours(12)), HOST);
        }, RegistrySettings.defaults(), HOST, clock);

        var first = login.client();
        clock.now = T0.plus(Duration.ofHours(10).plusMinutes(59));
        assertSame(first, login.client());
        assertEquals(1, fetched.get());

        clock.now = T0.plus(Duration.ofHours(11));
        var second = login.client();
        assertNotSame(first, second);
        assertEquals(2, fetched.get());
        assertEquals("pw-2", second.settings().credentialsFor(HOST).orElseThrow().password());
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
