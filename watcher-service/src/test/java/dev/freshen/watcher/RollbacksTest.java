package dev.freshen.watcher;

import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which images are rolled back, from the rolled-back and published events in any order. */
class RollbacksTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String ID = SampleEvents.IMAGE_ID;
    private static final ImageReference V1 = ImageReference.parse("registry.example.com/platform/x:10.0-1.0.0@sha256:"
            + "1".repeat(64));
    private static final ImageReference V2 = ImageReference.parse("registry.example.com/platform/x:10.0-1.1.0@sha256:"
            + "2".repeat(64));

    private static ImageRolledBack rolledBack(Instant at, ImageReference from, ImageReference to, String reason) {
        return new ImageRolledBack("r-0123456789abcdef01234567", ID, 1, at, from, to, List.of("latest"), V2.tag(), reason,
                "api:ops");
    }

    private static dev.freshen.events.ImagePublished publishedAt(Instant at) {
        var p = SampleEvents.imagePublished();
        return new dev.freshen.events.ImagePublished(p.runId(), ID, 1, at, p.trigger(), p.baseImages(), p.image(),
                p.version(), p.tags(), p.timings());
    }

    @Test
    void aRollbackHoldsUntilAPublishAfterIt() {
        Rollbacks rollbacks = new Rollbacks();
        assertEquals(Optional.empty(), rollbacks.current(ID));
        rollbacks.published(publishedAt(T0.minusSeconds(60)));
        ImageRolledBack back = rolledBack(T0, V2, V1, "1.1.0 breaks TLS");
        rollbacks.apply(back);
        assertEquals(Optional.of(back), rollbacks.current(ID));
        assertEquals("rolled back to 10.0-1.0.0 by api:ops: 1.1.0 breaks TLS", Rollbacks.describe(back));
        rollbacks.published(publishedAt(T0.plusSeconds(60)));
        assertEquals(Optional.empty(), rollbacks.current(ID), "the next publish moved the tags forward");
    }

    @Test
    void eventsReadOutOfOrderAcrossTopicsGiveTheSameAnswer() {
        Rollbacks rollbacks = new Rollbacks();
        rollbacks.published(publishedAt(T0.plusSeconds(60)));
        rollbacks.apply(rolledBack(T0, V2, V1, null));
        assertEquals(Optional.empty(), rollbacks.current(ID), "the publish came after the rollback");
    }

    @Test
    void rollingForwardToTheNewestEndsItAndAnOlderEventDoesNotReplaceANewerOne() {
        Rollbacks rollbacks = new Rollbacks();
        ImageRolledBack forward = rolledBack(T0.plusSeconds(10), V1, V2, "fixed");
        rollbacks.apply(forward);
        rollbacks.apply(rolledBack(T0, V2, V1, "1.1.0 breaks TLS"));
        assertEquals(Optional.empty(), rollbacks.current(ID));
        assertEquals("rolled back to 10.0-1.0.0 by api:ops", Rollbacks.describe(rolledBack(T0, V2, V1, null)));
    }
}
