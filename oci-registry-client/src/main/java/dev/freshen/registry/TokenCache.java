package dev.freshen.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens per (registry host, scope), each used until shortly before it expires: a tenth of its lifetime
 * before, at most 10 seconds. The lifetime counts from the token's {@code issued_at} when that is earlier than the
 * local clock (so a token server clock behind ours never makes us send an expired token), else from now.
 */
final class TokenCache {

    private static final Duration MAX_MARGIN = Duration.ofSeconds(10);

    private record Key(String host, String scope) {
    }

    private record Entry(String token, Instant usableUntil) {
    }

    private final Clock clock;
    private final Map<Key, Entry> tokens = new ConcurrentHashMap<>();

    TokenCache(Clock clock) {
        this.clock = clock;
    }

    Optional<String> get(String host, String scope) {
        Key key = new Key(host, scope);
        Entry entry = tokens.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.usableUntil())) {
            tokens.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.token());
    }

    void put(String host, String scope, String token, Duration lifetime, Instant issuedAt) {
        Instant now = clock.instant();
        Instant start = issuedAt != null && issuedAt.isBefore(now) ? issuedAt : now;
        Duration margin = lifetime.dividedBy(10).compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : lifetime.dividedBy(10);
        tokens.put(new Key(host, scope), new Entry(token, start.plus(lifetime).minus(margin)));
    }

    void invalidate(String host, String scope) {
        tokens.remove(new Key(host, scope));
    }
}
