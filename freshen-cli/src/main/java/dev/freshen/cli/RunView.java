package dev.freshen.cli;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.BaseImage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.image.ImageReference;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One run, stage by stage: the document of {@code GET /api/v1/runs/{id}} (docs/api.md), read from the watcher's API
 * or folded from the events on Kafka by the same rules as the watcher's run ledger: entries in time order, the same
 * event twice is one entry, the first terminal entry is the outcome, at most {@value #MAX_STAGES} entries (the oldest
 * intermediate ones give way) and texts cut at {@value #MAX_TEXT} characters. Enumerations are kept as the strings
 * on the wire, so values added later are shown rather than rejected.
 */
record RunView(String runId, String imageId, String state, Trigger trigger, Instant startedAt, Instant endedAt,
               Published published, Failure failure, Superseded supersededBy, List<Entry> stages) {

    static final String IN_FLIGHT = "IN_FLIGHT";
    static final String PUBLISHED = "PUBLISHED";
    static final String FAILED = "FAILED";
    static final int MAX_STAGES = 16;
    static final int MAX_TEXT = 500;

    RunView {
        stages = stages == null ? List.of() : List.copyOf(stages);
    }

    /**
     * Why the run happened: {@code kind} is {@code base-image-updated}, {@code forced}, {@code definition-changed},
     * {@code parent-published} or one a newer version added. {@code parent}, {@code definition} and {@code dependents}
     * as the watcher's run ledger keeps them (the parent that published, what changed in the definition, the images
     * built FROM this one); a run folded from the topics keeps them the same way, so it reads as the API's.
     */
    record Trigger(String kind, String reason, String requestedBy, JsonNode parent, JsonNode definition,
                   @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> dependents) {

        Trigger(String kind, String reason, String requestedBy) {
            this(kind, reason, requestedBy, null, null, List.of());
        }
    }

    /** What the run published. */
    record Published(String image, String version, List<String> tags, Instant at) {
    }

    /** Why the run failed. */
    record Failure(String stage, String kind, String reason, Instant at) {
    }

    /**
     * A later outcome that told otherwise than the first (published after a time-out, or the reverse); the run's
     * state stays the first outcome. {@code detail}: the version tag, or {@code <stage>: <reason>}.
     */
    record Superseded(String state, String detail, Instant at) {
    }

    /**
     * A base image of a {@code BASE_IMAGE_UPDATED} entry; for a multi-platform image with each platform's digests
     * ({@code platforms}, empty otherwise).
     */
    record Base(String reference, String digest, String previousDigest, List<PlatformBase> platforms) {
        Base {
            platforms = platforms == null ? List.of() : List.copyOf(platforms);
        }

        Base(String reference, String digest, String previousDigest) {
            this(reference, digest, previousDigest, List.of());
        }
    }

    /** One platform of a {@link Base}: {@code os/arch[/variant]}, its digest and the one its published image had. */
    record PlatformBase(String platform, String digest, String previousDigest) {
    }

    /** One stage entry; only the facts of its event are set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String event, String stage, Instant at, int attempt, List<Base> baseImages, String reason,
                 String requestedBy, String candidate, Integer warnings, Integer checks, String image, String version,
                 List<String> tags, String kind) {

        boolean trigger() {
            return "BASE_IMAGE_UPDATED".equals(event) || "FORCE_UPDATE_REQUESTED".equals(event);
        }

        boolean terminal() {
            return "IMAGE_PUBLISHED".equals(event) || "PIPELINE_FAILED".equals(event);
        }

        boolean sameAs(Entry other) {
            return event.equals(other.event) && attempt == other.attempt && at.equals(other.at) && stage.equals(other.stage);
        }
    }

    /** Whether the run has ended (published or failed). */
    @JsonIgnore
    boolean ended() {
        return !IN_FLIGHT.equals(state);
    }

    /** The start if known, else the earliest entry, else {@code null}. */
    @JsonIgnore
    Instant origin() {
        return startedAt != null ? startedAt : stages.isEmpty() ? null : stages.get(0).at();
    }

    /** Reads the watcher's JSON document of a run. */
    static RunView of(JsonNode json) {
        try {
            return Json.MAPPER.treeToValue(json, RunView.class);
        } catch (JsonProcessingException e) {
            throw new CliException("the watcher's answer is not a run document (" + e.getOriginalMessage() + ")");
        }
    }

    /** Folds the events of one run (any order, duplicates allowed) into its document; null when there are none. */
    static RunView of(List<FreshenEvent> events) {
        if (events.isEmpty()) {
            return null;
        }
        List<Entry> entries = new ArrayList<>();
        Trigger trigger = null;
        for (FreshenEvent event : events.stream().sorted(Comparator.comparing(FreshenEvent::occurredAt)).toList()) {
            Entry entry = entry(event);
            Trigger carried = trigger(event);
            if (carried != null && (trigger == null || entry.trigger())) {
                trigger = carried;
            }
            if (entries.stream().noneMatch(entry::sameAs)) {
                entries.add(entry);
                if (entries.size() > MAX_STAGES) {
                    entries.stream().filter(e -> !e.trigger() && !e.terminal()).findFirst()
                            .ifPresentOrElse(entries::remove, () -> entries.remove(entries.size() - 1));
                }
            }
        }
        Entry outcome = entries.stream().filter(Entry::terminal).findFirst().orElse(null);
        String state = outcome == null ? IN_FLIGHT : "IMAGE_PUBLISHED".equals(outcome.event()) ? PUBLISHED : FAILED;
        Published published = PUBLISHED.equals(state)
                ? new Published(outcome.image(), outcome.version(), outcome.tags(), outcome.at()) : null;
        Failure failure = FAILED.equals(state) ? new Failure(outcome.stage(), outcome.kind(), outcome.reason(), outcome.at()) : null;
        Instant startedAt = entries.stream().filter(Entry::trigger).findFirst().map(Entry::at).orElse(null);
        FreshenEvent first = events.get(0);
        return new RunView(first.runId(), first.imageId(), state, trigger, startedAt, outcome == null ? null : outcome.at(),
                published, failure, superseded(entries, outcome), entries);
    }

    /** The newest terminal entry after {@code outcome} that tells otherwise, as the watcher's ledger finds it. */
    private static Superseded superseded(List<Entry> entries, Entry outcome) {
        if (outcome == null) {
            return null;
        }
        return entries.stream()
                .filter(e -> e.terminal() && e.at().isAfter(outcome.at()) && !sameOutcome(e, outcome))
                .reduce((earlier, later) -> later)
                .map(e -> "IMAGE_PUBLISHED".equals(e.event())
                        ? new Superseded(PUBLISHED, ImageReference.parse(e.image()).tag(), e.at())
                        : new Superseded(FAILED, e.stage() + ": " + e.reason(), e.at()))
                .orElse(null);
    }

    private static boolean sameOutcome(Entry a, Entry b) {
        return a.event().equals(b.event()) && ("IMAGE_PUBLISHED".equals(a.event())
                ? a.image().equals(b.image()) : a.stage().equals(b.stage()) && a.kind().equals(b.kind()));
    }

    /** The entry of one event, as in a run document. */
    static Entry entry(FreshenEvent event) {
        String type = event.type().name();
        if (event instanceof BaseImageUpdated e) {
            return new Entry(type, "detect", e.occurredAt(), e.attempt(), e.baseImages().stream().limit(MAX_STAGES)
                    .map(RunView::base).toList(), null, null, null, null, null, null, null, null, null);
        } else if (event instanceof ForceUpdateRequested e) {
            return new Entry(type, "detect", e.occurredAt(), e.attempt(), null, cut(e.reason()), cut(e.requestedBy()), null,
                    null, null, null, null, null, null);
        } else if (event instanceof ImageBuilt e) {
            return new Entry(type, "build", e.occurredAt(), e.attempt(), null, null, null, e.candidate().toString(),
                    e.warnings().size(), null, null, null, null, null);
        } else if (event instanceof ImageVerified e) {
            return new Entry(type, "test", e.occurredAt(), e.attempt(), null, null, null, e.candidate().toString(), null,
                    e.checks().size(), null, null, null, null);
        } else if (event instanceof ImagePublished e) {
            return new Entry(type, "publish", e.occurredAt(), e.attempt(), null, null, null, null, null, null,
                    e.image().toString(), cut(e.version()), e.tags().stream().limit(MAX_STAGES).toList(), null);
        } else if (event instanceof PipelineFailed e) {
            return new Entry(type, e.stage().id(), e.occurredAt(), e.attempt(), null, cut(e.reason()), null, null, null,
                    null, null, null, null, e.kind().id());
        }
        throw new IllegalArgumentException("not a run event: " + type);
    }

    private static Trigger trigger(FreshenEvent event) {
        dev.freshen.events.Trigger trigger;
        if (event instanceof BaseImageUpdated e) {
            trigger = e.trigger();
        } else if (event instanceof ForceUpdateRequested e) {
            trigger = e.trigger();
        } else if (event instanceof ImageBuilt e) {
            trigger = e.trigger();
        } else if (event instanceof ImageVerified e) {
            trigger = e.trigger();
        } else if (event instanceof ImagePublished e) {
            trigger = e.trigger();
        } else if (event instanceof PipelineFailed e) {
            trigger = e.trigger();
        } else {
            trigger = null;
        }
        return trigger == null ? null : new Trigger(trigger.kind().id(), cut(trigger.reason()), cut(trigger.requestedBy()),
                trigger.parent() == null ? null : Json.MAPPER.valueToTree(trigger.parent()),
                trigger.definition() == null ? null : Json.MAPPER.valueToTree(trigger.definition()), trigger.dependents());
    }

    private static Base base(BaseImage base) {
        return new Base(base.reference().toString(), base.digest().toString(),
                base.previousDigest() == null ? null : base.previousDigest().toString(), base.platforms().stream()
                .map(p -> new PlatformBase(p.platform().toString(), p.digest().toString(),
                        p.previousDigest() == null ? null : p.previousDigest().toString())).toList());
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
