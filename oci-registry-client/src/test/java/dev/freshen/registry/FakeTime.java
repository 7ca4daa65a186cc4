package dev.freshen.registry;

import dev.freshen.testing.SettableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Time for {@link RequestPacing} tests: a clock that stands still until a wait moves it; the waits are recorded. */
final class FakeTime implements RequestPacing.Sleeper {

    final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T12:00:00Z"));
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
        clock.advance(duration);
    }
}
