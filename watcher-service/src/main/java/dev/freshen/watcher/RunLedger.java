package dev.freshen.watcher;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every run the watcher knows of, stage by stage, derived from the event topics (not from memory alone: after a
 * restart it is rebuilt by reading the topics from the beginning). A base-update run id is deterministic, so "is this
 * run id known?" is what keeps the same change from starting a second run.
 *
 * <p>A run is a list of {@link StageEntry stage entries} in time order; its state, start, end and outcome are derived
 * from them. Events may arrive in any order across topics and more than once: an entry seen again is ignored, and the
 * first terminal entry (by time) is the outcome. Memory per run is bounded: at most {@value #MAX_STAGES} entries (the
 * oldest intermediate ones give way), each with bounded facts (see {@link StageEntry}). The number of runs is bounded
 * by the topics' retention.
 */
public final class RunLedger {

    /** Most entries kept per run; beyond it the oldest entry that neither starts nor ends the run is dropped. */
    public static final int MAX_STAGES = 16;

    /** How a run stands. */
    public enum State { IN_FLIGHT, PUBLISHED, FAILED }

    /**
     * One run: its id, image, trigger (from the trigger event, else from a later event that carries it; {@code null}
     * while neither was read) and its entries in time order.
     */
    public record Run(String runId, String imageId, Trigger trigger, List<StageEntry> stages) {

        public Run {
            stages = List.copyOf(stages);
        }

        /** Published or failed once a terminal entry is known, else in flight. */
        public State state() {
            return outcome().map(e -> e.event() == StageEntry.Event.IMAGE_PUBLISHED ? State.PUBLISHED : State.FAILED)
                    .orElse(State.IN_FLIGHT);
        }

        /** The entry that ended the run: the first terminal one. */
        public Optional<StageEntry> outcome() {
            return stages.stream().filter(e -> e.event().terminal()).findFirst();
        }

        /**
         * A later terminal entry that tells otherwise than the {@link #outcome()}: a run that timed out and was then
         * published after all (a late stage, a replayed dead letter), or the reverse. The outcome stays the first
         * (one terminal outcome per run); this is what superseded it, the newest such entry, shown beside it.
         */
        public Optional<StageEntry> supersededBy() {
            return outcome().flatMap(first -> stages.stream()
                    .filter(e -> e.event().terminal() && e.at().isAfter(first.at()) && !sameOutcome(e, first))
                    .reduce((earlier, later) -> later));
        }

        private static boolean sameOutcome(StageEntry a, StageEntry b) {
            return a.event() == b.event() && (a.event() == StageEntry.Event.IMAGE_PUBLISHED
                    ? a.image().equals(b.image()) : a.stage().equals(b.stage()) && a.kind().equals(b.kind()));
        }

        /**
         * The stage an in-flight run waits for and since when (its newest entry): {@code build} after the trigger,
         * {@code test} after {@code ImageBuilt}, {@code publish} after {@code ImageVerified}; empty once it ended.
         */
        public Optional<Awaiting> awaiting() {
            if (outcome().isPresent() || stages.isEmpty()) {
                return Optional.empty();
            }
            StageEntry newest = stages.get(stages.size() - 1);
            Stage next = switch (newest.event()) {
                case IMAGE_BUILT -> Stage.TEST;
                case IMAGE_VERIFIED -> Stage.PUBLISH;
                default -> Stage.BUILD;
            };
            return Optional.of(new Awaiting(next, newest.at()));
        }

        /** When the run was triggered; {@code null} while its trigger event has not been read. */
        public Instant startedAt() {
            return stages.stream().filter(e -> e.event().trigger()).findFirst().map(StageEntry::at).orElse(null);
        }

        /** When the run ended; {@code null} while in flight. */
        public Instant endedAt() {
            return outcome().map(StageEntry::at).orElse(null);
        }

        /** The published version tag, or {@code <stage>: <reason>} of the failure; {@code null} while in flight. */
        public String detail() {
            return outcome().map(e -> e.event() == StageEntry.Event.IMAGE_PUBLISHED ? e.image().tag()
                    : e.stage().id() + ": " + e.reason()).orElse(null);
        }

        /** The time of the earliest entry: the start, or the first event read of a run whose trigger was not. */
        public Instant firstSeen() {
            return stages.get(0).at();
        }

        Run with(StageEntry entry, Trigger eventTrigger) {
            Trigger trigger = eventTrigger != null && (this.trigger == null || entry.event().trigger())
                    ? new Trigger(eventTrigger.kind(), StageEntry.cut(eventTrigger.reason()),
                    StageEntry.cut(eventTrigger.requestedBy()), eventTrigger.parent(), eventTrigger.definition(),
                    eventTrigger.dependents(), Map.of())
                    : this.trigger;
            if (stages.stream().anyMatch(entry::sameAs)) {
                return new Run(runId, imageId, trigger, stages);
            }
            List<StageEntry> next = new ArrayList<>(stages);
            int at = 0;
            while (at < next.size() && !next.get(at).at().isAfter(entry.at())) {
                at++;
            }
            next.add(at, entry);
            if (next.size() > MAX_STAGES) {
                next.stream().filter(e -> !e.event().trigger() && !e.event().terminal()).findFirst()
                        .ifPresentOrElse(next::remove, () -> next.remove(next.size() - 1));
            }
            return new Run(runId, imageId, trigger, next);
        }
    }

    /** An in-flight run waits for {@code stage}, since {@code since} (the time of its newest entry). */
    public record Awaiting(Stage stage, Instant since) {
    }

    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private volatile boolean complete;

    /** Called once every run already on the topics has been applied. */
    public void markComplete() {
        complete = true;
    }

    /** Whether the ledger knows every run that existed when the watcher started; checks wait for this. */
    public boolean complete() {
        return complete;
    }

    /**
     * Applies one event read from the topics; events may arrive in any order across topics, and more than once.
     *
     * @return whether the event was new to the ledger: false for an entry it holds already (the same event read again)
     */
    public boolean apply(FreshenEvent event) {
        StageEntry entry = StageEntry.of(event);
        Trigger trigger = triggerOf(event);
        boolean[] added = {false};
        runs.compute(event.runId(), (id, known) -> {
            Run run = known == null ? new Run(id, event.imageId(), null, List.of()) : known;
            added[0] = run.stages().stream().noneMatch(entry::sameAs);
            return run.with(entry, trigger);
        });
        return added[0];
    }

    public boolean knows(String runId) {
        return runs.containsKey(runId);
    }

    public Optional<Run> run(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    /** The newest run of {@code imageId} still in flight. */
    public Optional<Run> inFlight(String imageId) {
        return runs.values().stream()
                .filter(r -> r.imageId().equals(imageId) && r.state() == State.IN_FLIGHT && r.startedAt() != null)
                .max(Comparator.comparing(Run::startedAt));
    }

    /** Every run still in flight, of every image. */
    public List<Run> inFlight() {
        return runs.values().stream().filter(r -> r.state() == State.IN_FLIGHT).toList();
    }

    /**
     * The newest run of {@code imageId}, in flight or ended, by its start (the earliest entry read for a run whose
     * trigger was not).
     */
    public Optional<Run> newest(String imageId) {
        return runs.values().stream().filter(r -> r.imageId().equals(imageId))
                .max(Comparator.comparing((Run r) -> r.startedAt() != null ? r.startedAt() : r.firstSeen())
                        .thenComparing(Run::runId));
    }

    /**
     * The run of {@code imageId} that published {@code digest} (the digest its {@code ImagePublished} names: the
     * image manifest, or the index of a multi-platform image), while the topics still hold it.
     */
    public Optional<Run> publishedRun(String imageId, Digest digest) {
        return runs.values().stream()
                .filter(r -> r.imageId().equals(imageId) && r.state() == State.PUBLISHED)
                .filter(r -> r.outcome().map(e -> e.image() != null && digest.equals(e.image().digest())).orElse(false))
                .max(Comparator.comparing(Run::endedAt));
    }

    /** The newest run of {@code imageId} that ended. */
    public Optional<Run> lastEnded(String imageId) {
        return runs.values().stream()
                .filter(r -> r.imageId().equals(imageId) && r.state() != State.IN_FLIGHT)
                .max(Comparator.comparing(Run::endedAt));
    }

    /** Whether any run of {@code imageId} is known (the image was watched at some point). */
    public boolean hasRuns(String imageId) {
        return runs.values().stream().anyMatch(r -> r.imageId().equals(imageId));
    }

    /** What the newest published run of {@code imageId} published: {@code <registry>/<repository>:<tag>@sha256:…}. */
    public Optional<ImageReference> lastPublished(String imageId) {
        return runs.values().stream()
                .filter(r -> r.imageId().equals(imageId) && r.state() == State.PUBLISHED)
                .max(Comparator.comparing(Run::endedAt))
                .flatMap(Run::outcome).map(StageEntry::image);
    }

    /**
     * The image whose newest publish to {@code repository} put {@code tag} on it (as far as the topics still tell),
     * e.g. who has {@code latest} of {@code platform/team-web}.
     */
    public Optional<String> lastPublisherOf(String repository, String tag) {
        return runs.values().stream()
                .filter(r -> r.state() == State.PUBLISHED)
                .filter(r -> r.outcome().map(e -> e.image() != null && e.image().repository().equals(repository)
                        && e.tags() != null && e.tags().contains(tag)).orElse(false))
                .max(Comparator.comparing(Run::endedAt))
                .map(Run::imageId);
    }

    /**
     * The newest runs first (by their earliest entry), at most {@code limit}, of one image or ({@code imageId} null)
     * of all.
     */
    public List<Run> recent(String imageId, int limit) {
        return runs.values().stream()
                .filter(r -> imageId == null || r.imageId().equals(imageId))
                .sorted(Comparator.comparing(Run::firstSeen).reversed().thenComparing(Run::runId))
                .limit(limit).toList();
    }

    private static Trigger triggerOf(FreshenEvent event) {
        if (event instanceof BaseImageUpdated e) {
            return e.trigger();
        } else if (event instanceof ForceUpdateRequested e) {
            return e.trigger();
        } else if (event instanceof ImageBuilt e) {
            return e.trigger();
        } else if (event instanceof ImageVerified e) {
            return e.trigger();
        } else if (event instanceof ImagePublished e) {
            return e.trigger();
        } else if (event instanceof PipelineFailed e) {
            return e.trigger();
        }
        return null;
    }
}
