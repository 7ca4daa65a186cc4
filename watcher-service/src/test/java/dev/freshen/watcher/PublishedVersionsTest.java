package dev.freshen.watcher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.Target;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link PublishedVersions}: the last check, else the run ledger, else (asked for) the registry, remembered. */
class PublishedVersionsTest {

    static final String ID = "net10/runtime";
    static final Target TARGET = new Target("platform/dotnet/runtime", "10.0", List.of("latest"));

    final RunLedger ledger = new RunLedger();
    final AtomicInteger asked = new AtomicInteger();
    boolean registryDown;
    final ImageRegistry registry = new ImageRegistry() {
        @Override
        public Optional<Upstream> upstream(ImageReference base, dev.freshen.events.image.Platform platform) {
            return Optional.empty();
        }

        @Override
        public Optional<BuiltFrom> builtFrom(Target target, List<dev.freshen.events.image.Platform> platforms) {
            asked.incrementAndGet();
            if (registryDown) {
                throw new IllegalStateException("registry unreachable");
            }
            return Optional.of(new BuiltFrom("10.0-1.2.0", SampleEvents.digest('c'), Map.of()));
        }
    };
    final PublishedVersions versions = new PublishedVersions(ledger, new ImageChecker(
            () -> new PlatformImageCatalog.Scan(Map.of(), List.of()), registry, ledger, e -> { }, Clock.systemUTC(),
            dev.freshen.events.image.Platform.LINUX_AMD64),
            registry, "127.0.0.1:5000");

    @Test
    void theRegistryIsAskedOnlyForAnImageNotCheckedAndOnlyOnce() {
        assertEquals(Optional.empty(), versions.of(ID, TARGET, false), "a watched image is not looked up in the registry");
        assertEquals(0, asked.get());
        Optional<ImageReference> read = versions.of(ID, TARGET, true);
        assertEquals("127.0.0.1:5000/platform/dotnet/runtime:10.0-1.2.0@" + SampleEvents.digest('c'), read.orElseThrow().toString());
        assertEquals(read, versions.of(ID, TARGET, true));
        assertEquals(1, asked.get(), "remembered");
        assertEquals(Optional.empty(), versions.of(ID, null, true), "no target, nothing to ask");
    }

    @Test
    void theRunLedgerAnswersBeforeTheRegistry() {
        Instant t0 = Instant.parse("2026-12-01T09:00:00Z");
        ledger.apply(new ForceUpdateRequested("f-0123456789abcdef01234567", ID, 1, t0, "why", "alice"));
        ImagePublished published = RunLedgerTest.published("f-0123456789abcdef01234567", ID, t0.plusSeconds(60));
        ledger.apply(published);
        assertEquals(Optional.of(published.image()), versions.of(ID, TARGET, true));
        assertEquals(0, asked.get());
    }

    @Test
    void aRegistryThatFailedIsNotAskedAgainAtOnce() {
        registryDown = true;
        assertEquals(Optional.empty(), versions.of(ID, TARGET, true));
        registryDown = false;
        assertEquals(Optional.empty(), versions.of(ID, TARGET, true), "an API listing does not wait on it again");
        assertEquals(1, asked.get());
    }
}
