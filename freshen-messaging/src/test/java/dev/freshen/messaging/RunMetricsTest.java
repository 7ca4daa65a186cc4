package dev.freshen.messaging;

import dev.freshen.events.BaseImage;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.retry.StopRequested;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunMetricsTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final String ID = "net10/runtime";
    private static final String OLD = "sha256:" + "1".repeat(64);
    private static final String NEW = "sha256:" + "2".repeat(64);

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

    @Test
    void aPublishIsTimedAsSucceededAndEndsTheRunAsPublished() {
        RunMetrics publisher = new RunMetrics(registry, Stage.PUBLISH);

        publisher.timed(ID, () -> {
            clock.add(Duration.ofSeconds(12));
            return published(Trigger.forced("test", "alice"));
        });

        Timer timer = registry.get(RunMetrics.STAGE_DURATION)
                .tags("stage", "publish", "image", ID, "outcome", "succeeded").timer();
        assertEquals(1, timer.count());
        assertEquals(12.0, timer.totalTime(TimeUnit.SECONDS));
        CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
        assertEquals(RunMetrics.BUCKETS.length, buckets.length, "the explicit buckets, no others");
        assertEquals(0.0, bucket(buckets, 5).count(), "12 s is above 5 s");
        assertEquals(1.0, bucket(buckets, 15).count(), "and within 15 s");
        assertEquals(1.0, registry.get(RunMetrics.RUNS)
                .tags("image", ID, "trigger", "forced", "outcome", "published", "stage", "publish").counter().count());
    }

    @Test
    void aFailureIsTimedAsFailedAndCountedInTheStageItNames() {
        RunMetrics tester = new RunMetrics(registry, Stage.TEST);

        tester.timed(ID, () -> failed(Stage.TEST, Trigger.baseImageUpdated()));
        tester.timed(ID, () -> failed(Stage.TEST, null));

        assertEquals(2, registry.get(RunMetrics.STAGE_DURATION).tags("stage", "test", "outcome", "failed").timer().count());
        assertEquals(1.0, registry.get(RunMetrics.RUNS).tags("trigger", "base-image-updated", "outcome", "failed",
                "stage", "test").counter().count());
        assertEquals(1.0, registry.get(RunMetrics.RUNS).tags("trigger", "unknown", "outcome", "failed").counter().count());
    }

    @Test
    void anExceptionIsAFailedSampleButNotARunEndAndAStopIsNothing() {
        RunMetrics builder = new RunMetrics(registry, Stage.BUILD);

        assertThrows(IllegalStateException.class, () -> builder.timed(ID, () -> {
            throw new IllegalStateException("defect");
        }));
        assertThrows(StopRequested.class, () -> builder.timed(ID, () -> {
            throw new StopRequested("stopping");
        }));

        assertEquals(1, registry.get(RunMetrics.STAGE_DURATION).tags("stage", "build", "outcome", "failed").timer().count());
        assertTrue(registry.find(RunMetrics.RUNS).counters().isEmpty(), "InternalFailures counts that run's end");
    }

    @Test
    void aRollbackEndsAsRolledBackAndIntermediateEventsCountNothing() {
        RunMetrics publisher = new RunMetrics(registry, Stage.PUBLISH);

        publisher.ended(new ImageRolledBack("r-0123456789abcdef01234567", ID, 1, T0,
                ImageReference.parse("127.0.0.1:5000/platform/net10-runtime:1.1.0@" + NEW),
                ImageReference.parse("127.0.0.1:5000/platform/net10-runtime:1.0.0@" + OLD),
                List.of("latest"), "1.1.0", "breaks TLS", "api:ops"));

        assertEquals(1.0, registry.get(RunMetrics.RUNS).tags("trigger", "rollback", "outcome", "rolled-back",
                "stage", "publish").counter().count());
    }

    private static CountAtBucket bucket(CountAtBucket[] buckets, long seconds) {
        return Arrays.stream(buckets).filter(b -> b.bucket(TimeUnit.SECONDS) == seconds).findFirst().orElseThrow();
    }

    private static PipelineFailed failed(Stage stage, Trigger trigger) {
        return new PipelineFailed("run-1", ID, 1, T0, stage, FailureKind.PERMANENT, "POST / answered 500", null, trigger);
    }

    private static ImagePublished published(Trigger trigger) {
        BaseImage base = new BaseImage(ImageReference.parse("mcr.microsoft.com/dotnet/runtime:10.0"), Digest.parse(NEW),
                Digest.parse(OLD));
        return new ImagePublished("run-1", ID, 1, T0, trigger, List.of(base),
                ImageReference.parse("127.0.0.1:5000/platform/net10-runtime:1.1.0@" + NEW), "1.1.0",
                List.of("1.1.0", "latest"), List.of(new StageTiming(Stage.PUBLISH, T0, T0.plusSeconds(12))));
    }
}
