package dev.freshen.watcher;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.ImageGraph;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.BaseImage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.BasePlatform;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.RunIds;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.Durations;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.VersionTag;
import dev.freshen.watcher.git.GitHistory;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Checks platform images for upstream changes and starts runs: one check at a time per image, and never a second run
 * for a change that already has one (the run id is derived from the change and looked up in the {@link RunLedger}).
 *
 * <p>Bases are resolved for every platform the image is built for (its descriptor's {@code platforms}, else the
 * default platform), and compared, platform by platform, by that platform's image manifest against the labels of that
 * platform's image in the published version ({@link UpdateDetector}). A multi-platform image is rebuilt as a whole:
 * one run whichever platform moved, its id made of every platform's base digests.
 *
 * <p>Settle window (descriptor {@code settle}): a change starts its run only once the digests every base tag names
 * (image indexes included, so a roll-out platform by platform counts as moving) have stayed the same for that long;
 * until then the check answers {@link CheckOutcome.Result#SETTLING} with the time the run is due, and the
 * {@link #onSettling} listener is told so that it can check again then. The window is kept in memory: a watcher
 * restart starts it again at the first check (a roll-out is then waited for once more, never skipped). The window
 * applies only when an upstream base moved: not for a parent's publish, nor for a change of the image's definition
 * alone ({@link DefinitionDrift}), since nothing upstream is rolling out.
 *
 * <p>Images built on each other ({@link ImageGraph}): a base that is another watched image's tag is a parent. A
 * change starts a run only when no ancestor must go first ({@link ChainGuard}, result {@link CheckOutcome.Result#HELD});
 * a parent tag that does not exist yet holds the image too. A parent's publish checks its children at once with a
 * {@link ParentPublish} hint (the parent base pinned to the published digest); the next poll finds the same digest on
 * the tag and so the same run id. Every run names the images built FROM this one ({@link Trigger#dependents()}).
 */
public class ImageChecker {

    private static final Logger LOG = Logger.getLogger(ImageChecker.class);
    /** Times in messages, as people read them (the cards' format). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Supplier<PlatformImageCatalog.Scan> catalog;
    private final ImageRegistry registry;
    private final RunLedger ledger;
    private final RunStarter runs;
    private final Clock clock;
    private final Platform defaultPlatform;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, CheckOutcome> lastOutcomes = new ConcurrentHashMap<>();
    /** image id -> the change it is waiting on to settle */
    private final Map<String, Settling> settling = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, Instant> onSettling = (imageId, due) -> { };
    private volatile Consumer<CheckOutcome> onChecked = outcome -> { };

    /**
     * A parent's publish, heard on Kafka: the parent's id and run, what it published
     * ({@code registry/repository:versionTag@digest}) and every tag it put on it.
     */
    public record ParentPublish(String parentId, String runId, ImageReference published, List<String> tags) {
        public ParentPublish {
            tags = List.copyOf(tags);
        }
    }

    private final ChainGuard guard;

    /** A change being waited on: the base tags' digests as first seen, and since when they have not moved. */
    private record Settling(Map<ImageReference, Digest> tagDigests, Instant since) {
    }

    /**
     * @param defaultPlatform the platform of images whose descriptor names none ({@code freshen.registries.platform})
     */
    public ImageChecker(Supplier<PlatformImageCatalog.Scan> catalog, ImageRegistry registry, RunLedger ledger,
                        RunStarter runs, Clock clock, Platform defaultPlatform) {
        this.catalog = catalog;
        this.registry = registry;
        this.ledger = ledger;
        this.runs = runs;
        this.clock = clock;
        this.defaultPlatform = defaultPlatform;
        this.guard = new ChainGuard(ledger, this::lastOutcome);
    }

    /** What holds images back: the chain predicate, for the status view. */
    public ChainGuard guard() {
        return guard;
    }

    /** The platform of images whose descriptor names none. */
    public Platform defaultPlatform() {
        return defaultPlatform;
    }

    /** Told (image id, due time) whenever a check finds a change settling, so the caller can check again then. */
    public void onSettling(BiConsumer<String, Instant> listener) {
        this.onSettling = listener;
    }

    /** Checks one image now. */
    public CheckOutcome check(String imageId) {
        return check(imageId, null);
    }

    /**
     * Checks one image now, after a publish of its parent: the bases that name a tag of {@code hint} are pinned to the
     * digest it published (the run id is the one a poll gives once the tag names that digest).
     *
     * @param hint the parent's publish; {@code null}: an ordinary check
     */
    public CheckOutcome check(String imageId, ParentPublish hint) {
        PlatformImage image = image(imageId);
        if (!ledger.complete()) {
            throw new NotReadyException("the run ledger is still reading the run topics; try again shortly");
        }
        synchronized (locks.computeIfAbsent(imageId, id -> new Object())) {
            CheckOutcome outcome = checkLocked(image, hint);
            lastOutcomes.put(imageId, outcome);
            try {
                onChecked.accept(outcome);
            } catch (RuntimeException e) {
                LOG.warnf("%s: handling the outcome of its check failed: %s", imageId, e.getMessage());
            }
            return outcome;
        }
    }

    /**
     * Told every outcome of {@link #check} (passed or failed), in order per image, before {@code check} returns: the
     * check health ({@link CheckHealth}) counts streaks of failed checks from it.
     */
    public void onChecked(Consumer<CheckOutcome> listener) {
        this.onChecked = listener;
    }

    /** Starts a forced run of a known image. */
    public ForceUpdateRequested forceUpdate(String imageId, String reason, String requestedBy) {
        image(imageId);
        ForceUpdateRequested event = new ForceUpdateRequested(RunIds.forced(), imageId, 1, clock.instant(), reason,
                requestedBy, catalog.get().graph().descendants(imageId));
        runs.start(event);
        ledger.apply(event);
        LOG.infof("Run %s (%s): forced by %s, reason: %s", event.runId(), imageId, requestedBy, reason);
        return event;
    }

    public Optional<CheckOutcome> lastOutcome(String imageId) {
        return Optional.ofNullable(lastOutcomes.get(imageId));
    }

    /**
     * A publish heard on Kafka after the last check: the last check's view of the published image ({@code builtFrom})
     * moves to it when its version is higher, so the API and {@code freshen status} show the newest version without
     * another round of registry requests. The check's result and upstream digests stay as they were seen.
     */
    public void published(ImagePublished event) {
        lastOutcomes.computeIfPresent(event.imageId(), (id, outcome) -> {
            String prefix = catalog.get().image(id).map(i -> i.descriptor().target().tagPrefix()).orElse(null);
            Optional<VersionTag> heard = prefix == null ? Optional.empty() : VersionTag.parse(prefix, event.image().tag());
            Optional<VersionTag> known = outcome.builtFrom() == null ? Optional.empty()
                    : VersionTag.parse(prefix, outcome.builtFrom().versionTag());
            if (heard.isEmpty() || (known.isPresent() && known.get().compareTo(heard.get()) >= 0)) {
                return outcome;
            }
            Map<ImageReference, Digest> bases = new LinkedHashMap<>();
            event.baseImages().forEach(base -> bases.put(base.reference(), base.digest()));
            List<BuiltFrom.PlatformBuild> platforms = event.baseImages().isEmpty() ? List.of()
                    : event.baseImages().get(0).platforms().stream().map(p -> {
                        Map<ImageReference, Digest> forPlatform = new LinkedHashMap<>();
                        event.baseImages().forEach(base -> {
                            Digest digest = base.digestFor(p.platform());
                            if (digest != null) {
                                forPlatform.put(base.reference(), digest);
                            }
                        });
                        return new BuiltFrom.PlatformBuild(p.platform().toString(), true, forPlatform);
                    }).toList();
            // the run this check started (or found) built the definition the check saw on disk; of another run the
            // event does not say which definition it built: unknown until the next check reads the labels
            CheckOutcome.DefinitionView seen = outcome.definition();
            CheckOutcome.DefinitionView now = seen != null && event.runId().equals(outcome.runId())
                    ? new CheckOutcome.DefinitionView(seen.current(), seen.current(), DefinitionDrift.State.SAME.id(),
                    List.of(), 0) : null;
            return outcome.withBuiltFrom(new BuiltFrom(event.image().tag(), event.digest(), bases, null, List.of(), null,
                    platforms)).withDefinition(now);
        });
    }

    /**
     * The watched image {@code imageId}.
     *
     * @throws ImageNotWatchedException when its descriptor is invalid (with every problem)
     * @throws UnknownImageException    when there is no such image
     */
    private PlatformImage image(String imageId) {
        PlatformImageCatalog.Scan scan = catalog.get();
        Optional<PlatformImage> image = scan.image(imageId);
        if (image.isPresent()) {
            return image.get();
        }
        Optional<DescriptorException> error = scan.error(imageId);
        if (error.isPresent()) {
            throw new ImageNotWatchedException(imageId, error.get());
        }
        throw new UnknownImageException(imageId, scan.errors().stream()
                .filter(e -> e.imageId() == null && e.file().startsWith(imageId + "/"))
                .map(DescriptorException::getMessage).findFirst().orElse(null));
    }

    private CheckOutcome checkLocked(PlatformImage image, ParentPublish hint) {
        Instant now = clock.instant();
        if (image.baseImages().isEmpty()) {
            settling.remove(image.id());
            String why = image.pinnedBases().isEmpty() ? "the Dockerfile has no external base image"
                    : "every base of the Dockerfile is pinned by digest (pinned, not watched: "
                    + image.pinnedBases().stream().map(Object::toString).collect(java.util.stream.Collectors.joining(", "))
                    + ")";
            return new CheckOutcome(image.id(), now, CheckOutcome.Result.NO_BASES, null, null, null, null, null,
                    why + "; use force-update to rebuild it");
        }
        List<Platform> platforms = image.descriptor().platformsOr(defaultPlatform);
        Platform platform = platforms.get(0);
        Map<Platform, Map<ImageReference, Upstream>> upstream = new LinkedHashMap<>();
        Map<String, String> shown = new LinkedHashMap<>();
        Optional<BuiltFrom> builtFrom;
        ImageGraph graph = catalog.get().graph();
        Map<ImageReference, String> parents = new LinkedHashMap<>();
        graph.parents(image.id()).forEach(edge -> parents.put(edge.base(), edge.parentId()));
        try {
            for (Platform target : platforms) {
                Map<ImageReference, Upstream> resolved = new LinkedHashMap<>();
                for (ImageReference base : image.baseImages()) {
                    String parent = parents.get(base);
                    boolean pinned = hint != null && hint.parentId().equals(parent) && hint.tags().contains(base.tag());
                    Optional<Upstream> found = pinned ? pinnedTo(hint, target) : registry.upstream(base, target);
                    if (found.isEmpty() && parent != null) {
                        settling.remove(image.id());
                        ChainGuard.Hold hold = new ChainGuard.Hold(parent, null, ChainGuard.Hold.NEVER_PUBLISHED);
                        return new CheckOutcome(image.id(), now, CheckOutcome.Result.HELD, platform.toString(), shown,
                                null, null, null, "the base " + base + " does not exist yet; " + hold.text(), null, null,
                                hold);
                    }
                    Upstream current = found.orElseThrow(() -> new CheckProblems.BaseImageMissing(base));
                    resolved.put(base, current);
                    if (target.equals(platform)) {
                        shown.put(base.toString(), current.digest().toString());
                    }
                }
                upstream.put(target, resolved);
            }
            builtFrom = registry.builtFrom(image.descriptor().target(), platforms);
        } catch (RuntimeException e) {
            LOG.warnf("Check of %s failed: %s", image.id(), e.getMessage());
            return new CheckOutcome(image.id(), now, CheckOutcome.Result.ERROR, platform.toString(), shown, null, null,
                    null, e.getMessage(), CheckProblems.code(e));
        }
        DefinitionDrift drift = DefinitionDrift.of(image.definition(), builtFrom);
        Decision decision = UpdateDetector.decide(image.baseImages(), platforms, upstream, builtFrom, drift,
                image.descriptor().rebuildsOnChange());
        List<CheckOutcome.PlatformView> views = platforms.size() < 2 ? List.of() : platforms.stream()
                .map(p -> new CheckOutcome.PlatformView(p.toString(), digests(upstream.get(p)),
                        UpdateDetector.state(image.baseImages(), p, upstream.get(p), builtFrom).id()))
                .toList();
        if (decision instanceof Decision.Rebuild rebuild) {
            return startRun(image, rebuild, upstream, platform, shown, builtFrom.orElse(null), now, graph, parents, hint)
                    .withDefinition(drift.view()).withPlatforms(views);
        }
        settling.remove(image.id());
        if (decision instanceof Decision.AwaitingRelease) {
            return new CheckOutcome(image.id(), now, CheckOutcome.Result.AWAITING_RELEASE, platform.toString(), shown,
                    builtFrom.orElse(null), null, null, drift.why() + "; rebuildOnChange is false: force-update "
                    + "releases it", null, drift.view(), null, views);
        }
        LOG.debugf("%s is up to date", image.id());
        return new CheckOutcome(image.id(), now, CheckOutcome.Result.UP_TO_DATE, platform.toString(), shown,
                builtFrom.orElse(null), null, null, "built from the current upstream digests for "
                + platforms.stream().map(Platform::toString).collect(Collectors.joining(", ")), null, drift.view(), null,
                views);
    }

    /** base -> digest, as the API shows them. */
    private static Map<String, String> digests(Map<ImageReference, Upstream> upstream) {
        Map<String, String> shown = new LinkedHashMap<>();
        upstream.forEach((base, u) -> shown.put(base.toString(), u.digest().toString()));
        return shown;
    }

    /** Where the parent's publish is for {@code platform}: its digest, resolved to the platform's manifest. */
    private Optional<Upstream> pinnedTo(ParentPublish hint, Platform platform) {
        Digest published = hint.published().digest();
        return registry.upstream(hint.published().byDigestOnly(), platform)
                .map(u -> new Upstream(platform, published, u.digest()));
    }

    /**
     * @param upstream platform -> where each base points now for it (every platform the image is built for)
     * @param platform the first platform
     */
    private CheckOutcome startRun(PlatformImage image, Decision.Rebuild rebuild,
                                  Map<Platform, Map<ImageReference, Upstream>> upstream, Platform platform,
                                  Map<String, String> shown, BuiltFrom builtFrom, Instant now, ImageGraph graph,
                                  Map<ImageReference, String> parents, ParentPublish hint) {
        String definition = image.definition().hash();
        String runId = RunIds.forBaseUpdate(image.id(), runDigests(rebuild.baseImages()), definition);
        if (ledger.knows(runId)) {
            settling.remove(image.id());
            RunLedger.Run run = ledger.run(runId).orElseThrow();
            return new CheckOutcome(image.id(), now, CheckOutcome.Result.RUN_EXISTS, platform.toString(), shown, builtFrom,
                    runId, null, rebuild.why() + "; run " + runId + " for this change is "
                    + run.state().name().toLowerCase().replace('_', '-'));
        }
        Optional<ChainGuard.Hold> hold = guard.holdFor(image.id(), graph, this::check);
        if (hold.isPresent()) {
            String message = rebuild.why() + "; " + hold.get().text() + " (its publish starts this image's run)";
            LOG.infof("%s: %s", image.id(), message);
            return new CheckOutcome(image.id(), now, CheckOutcome.Result.HELD, platform.toString(), shown, builtFrom,
                    null, null, message, null, null, hold.get());
        }
        List<ImageReference> moved = rebuild.baseImages().stream().filter(b -> moved(b, upstream))
                .map(BaseImage::reference).toList();
        Map<ImageReference, Upstream> first = upstream.get(platform);
        Duration settle = image.descriptor().settle();
        if (settle != null && moved.stream().anyMatch(b -> !parents.containsKey(b))) {
            Map<ImageReference, Digest> tagDigests = new LinkedHashMap<>();
            first.forEach((base, u) -> tagDigests.put(base, u.tagDigest()));
            Settling waiting = settling.compute(image.id(), (id, before) -> before != null
                    && before.tagDigests().equals(tagDigests) ? before : new Settling(tagDigests, now));
            Instant due = waiting.since().plus(settle);
            if (now.isBefore(due)) {
                String message = rebuild.why() + "; settling: the run starts at " + TIME.format(due) + " if the bases "
                        + "do not move again (settle " + Durations.human(settle) + ", unchanged since "
                        + TIME.format(waiting.since()) + ")";
                LOG.infof("%s: %s", image.id(), message);
                onSettling.accept(image.id(), due);
                return new CheckOutcome(image.id(), now, CheckOutcome.Result.SETTLING, platform.toString(), shown,
                        builtFrom, null, due, message);
            }
            settling.remove(image.id());
        }
        Trigger trigger = moved.stream().filter(parents::containsKey).findFirst()
                .map(base -> parentPublished(parents.get(base), base, first.get(base), hint)
                        .withDefinition(rebuild.trigger().definition()))
                .orElse(rebuild.trigger());
        if (trigger.definition() != null) {
            GitHistory.Commits commits = GitHistory.since(image.directory(), builtFrom == null ? null : builtFrom.revision(),
                    Trigger.DefinitionChange.MAX_COMMITS);
            trigger = trigger.withDefinition(trigger.definition().withCommits(commits.commits(), commits.more()));
        }
        trigger = trigger.withDependents(graph.descendants(image.id()));
        BaseImageUpdated event = new BaseImageUpdated(runId, image.id(), 1, now, rebuild.baseImages(), definition,
                trigger, definition);
        runs.start(event);
        ledger.apply(event);
        LOG.infof("Run %s (%s): %s, %s", runId, image.id(), trigger.kind().id(), rebuild.why());
        return new CheckOutcome(image.id(), now, CheckOutcome.Result.RUN_STARTED, platform.toString(), shown, builtFrom,
                runId, null, rebuild.why());
    }

    /**
     * What a base-update run's id is made of: each base's digest; for a multi-platform image, each base's digest for
     * every platform (so a move of any platform is another run, and a one-platform image's run ids stay as they were).
     */
    private static List<Digest> runDigests(List<BaseImage> bases) {
        return bases.stream().flatMap(b -> b.platforms().isEmpty() ? java.util.stream.Stream.of(b.digest())
                : b.platforms().stream().map(BasePlatform::digest)).toList();
    }

    /**
     * Whether a base moved, for any platform, since the published image (or was never built from): what decides the
     * trigger and the settle window.
     */
    private static boolean moved(BaseImage base, Map<Platform, Map<ImageReference, Upstream>> upstream) {
        if (base.platforms().isEmpty()) {
            return UpdateDetector.moved(upstream.get(base.platform()).get(base.reference()), base.previousDigest());
        }
        return base.platforms().stream().anyMatch(p ->
                UpdateDetector.moved(upstream.get(p.platform()).get(base.reference()), p.previousDigest()));
    }

    /**
     * The trigger of a run a parent's publish starts: the parent, its version and run (from the hint, else the ledger's
     * run that published the digest, while the topics hold it) and the child's base pinned to the published digest.
     */
    private Trigger parentPublished(String parentId, ImageReference base, Upstream now, ParentPublish hint) {
        String runId = null;
        String version = null;
        if (hint != null && hint.parentId().equals(parentId)) {
            runId = hint.runId();
            version = hint.published().tag();
        } else {
            Optional<RunLedger.Run> run = ledger.publishedRun(parentId, now.tagDigest())
                    .or(() -> ledger.publishedRun(parentId, now.digest()));
            if (run.isPresent()) {
                runId = run.get().runId();
                version = run.get().outcome().map(StageEntry::image).map(ImageReference::tag).orElse(null);
            }
        }
        return Trigger.parentPublished(new Trigger.Parent(parentId, version, runId, base.withDigest(now.digest())));
    }
}
