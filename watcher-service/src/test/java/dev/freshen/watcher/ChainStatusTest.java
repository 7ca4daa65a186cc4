package dev.freshen.watcher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.TagOwners;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Trigger;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.freshen.watcher.ChainFixture.APP;
import static dev.freshen.watcher.ChainFixture.ASPNET;
import static dev.freshen.watcher.ChainFixture.RUNTIME;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ChainStatus}: parents, children and ready / waiting / held from the ledger and the last outcomes. */
class ChainStatusTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path root;

    @Test
    void readyWaitingAndHeld() throws IOException {
        new ChainFixture(root, false);
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(root, TagOwners.NONE, ChainFixture.REGISTRY).scan();
        RunLedger ledger = new RunLedger();
        Map<String, CheckOutcome> last = new HashMap<>();
        ChainStatus status = new ChainStatus(() -> scan, new ChainGuard(ledger, id -> Optional.ofNullable(last.get(id))),
                id -> Optional.ofNullable(last.get(id)));

        assertEquals(new ChainStatus.ChainView(List.of(RUNTIME), List.of(APP), ChainStatus.READY, null), status.of(ASPNET));
        assertEquals(new ChainStatus.ChainView(List.of(), List.of(ASPNET), ChainStatus.READY, null), status.of(RUNTIME));

        ChainGuard.Hold never = new ChainGuard.Hold(RUNTIME, null, ChainGuard.Hold.NEVER_PUBLISHED);
        last.put(ASPNET, new CheckOutcome(ASPNET, T0, CheckOutcome.Result.HELD, "linux/amd64", Map.of(), null, null,
                null, "held", null, null, never));
        assertEquals(ChainStatus.WAITING, status.of(ASPNET).state());
        assertEquals(never, status.of(ASPNET).waitsOn());

        ledger.apply(new BaseImageUpdated("b-rt", RUNTIME, 1, T0, SampleEvents.baseImageUpdated().baseImages(), "sha256:x"));
        assertEquals(new ChainGuard.Hold(RUNTIME, "b-rt", ChainGuard.Hold.IN_FLIGHT), status.of(APP).waitsOn(),
                "a grandparent in flight");
        assertEquals(ChainStatus.WAITING, status.of(APP).state());

        PipelineFailed sample = SampleEvents.pipelineFailed();
        ledger.apply(new PipelineFailed("b-rt", RUNTIME, 1, T0.plusSeconds(60), sample.stage(), sample.kind(), "broken",
                "log", Trigger.baseImageUpdated()));
        assertEquals(ChainStatus.HELD, status.of(APP).state());
        assertEquals(new ChainGuard.Hold(RUNTIME, "b-rt", ChainGuard.Hold.FAILED), status.of(APP).waitsOn());
    }
}
