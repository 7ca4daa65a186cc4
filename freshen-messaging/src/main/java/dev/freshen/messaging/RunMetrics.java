package dev.freshen.messaging;

import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.retry.StopRequested;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The run metrics of a stage service (builder, tester, publisher), counted where the service handles a run, never
 * for records read back to rebuild state:
 * <ul>
 *     <li>{@code freshen_runs_total{image,trigger,outcome,stage}}: one per run this service ends, when it ends it:
 *     {@code outcome} {@code published} ({@code ImagePublished}, stage {@code publish}), {@code failed}
 *     ({@code PipelineFailed}, its stage) or {@code rolled-back} ({@code ImageRolledBack}, stage {@code publish});
 *     {@code trigger} the run's trigger kind ({@code base-image-updated}, {@code forced}, {@code rollback}, or
 *     {@value #UNKNOWN} when the event does not say).</li>
 *     <li>{@code freshen_stage_duration_seconds{stage,image,outcome}}: a histogram, one sample per handled run, from
 *     the start of the stage's work to its outcome; {@code outcome} {@code succeeded} or {@code failed} (a
 *     {@code PipelineFailed}, or an unexpected exception). Buckets: {@link #BUCKETS}.</li>
 * </ul>
 * Thread-safe.
 */
public final class RunMetrics {

    /** Micrometer's name; Prometheus shows {@code freshen_runs_total}. */
    public static final String RUNS = "freshen.runs";
    /** Micrometer's name; Prometheus shows {@code freshen_stage_duration_seconds_bucket}, {@code _sum}, {@code _count}. */
    public static final String STAGE_DURATION = "freshen.stage.duration";
    /** The trigger label of a run whose events do not carry a trigger. */
    public static final String UNKNOWN = "unknown";
    /**
     * The histogram's bucket bounds: from a second (a publish by manifest copy) to an hour (over the 30 m default
     * build time-out).
     */
    public static final Duration[] BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(30), Duration.ofHours(1)};

    private final MeterRegistry registry;
    private final Stage stage;

    /** @param stage the stage whose handling {@link #timed} measures */
    public RunMetrics(MeterRegistry registry, Stage stage) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.stage = Objects.requireNonNull(stage, "stage");
    }

    /** Counting in Micrometer's global registry (Quarkus's registries, served at {@code /q/metrics}). */
    public static RunMetrics global(Stage stage) {
        return new RunMetrics(Metrics.globalRegistry, stage);
    }

    /**
     * Runs the stage's work on one run of {@code imageId}, records its duration, and {@link #ended counts} the
     * outcome when it ends the run. A {@link StopRequested} (the service stops) records nothing; another exception is
     * a {@code failed} sample and is thrown on (the run's end is counted by {@link InternalFailures}).
     */
    public <T extends FreshenEvent> T timed(String imageId, Supplier<T> work) {
        Timer.Sample sample = Timer.start(registry);
        T outcome;
        try {
            outcome = work.get();
        } catch (StopRequested e) {
            throw e;
        } catch (RuntimeException e) {
            sample.stop(timer(imageId, "failed"));
            throw e;
        }
        sample.stop(timer(imageId, outcome instanceof PipelineFailed ? "failed" : "succeeded"));
        ended(outcome);
        return outcome;
    }

    /** Counts {@code outcome} in {@code freshen_runs_total} when it ends a run; other events count nothing. */
    public void ended(FreshenEvent outcome) {
        if (outcome instanceof PipelineFailed failed) {
            count(failed.imageId(), failed.trigger(), "failed", failed.stage().id());
        } else if (outcome instanceof ImagePublished published) {
            count(published.imageId(), published.trigger(), "published", Stage.PUBLISH.id());
        } else if (outcome instanceof ImageRolledBack rolledBack) {
            count(rolledBack.imageId(), Trigger.rollback(null, null), "rolled-back", Stage.PUBLISH.id());
        }
    }

    private void count(String imageId, Trigger trigger, String outcome, String endedIn) {
        Counter.builder(RUNS)
                .description("Runs ended by this service, by image, trigger, outcome and the stage that ended them")
                .tag("image", imageId)
                .tag("trigger", trigger == null ? UNKNOWN : trigger.kind().id())
                .tag("outcome", outcome)
                .tag("stage", endedIn)
                .register(registry)
                .increment();
    }

    private Timer timer(String imageId, String outcome) {
        return Timer.builder(STAGE_DURATION)
                .description("How long the stage took on a run, by outcome")
                .tag("stage", stage.id())
                .tag("image", imageId)
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}
