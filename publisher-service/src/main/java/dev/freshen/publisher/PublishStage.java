package dev.freshen.publisher;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.Target;
import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.VersionTag;
import dev.freshen.registry.Manifest;
import dev.freshen.retry.Retry;
import dev.freshen.retry.StopRequested;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Publishes one run's verified image: the verified digest, promoted as is (manifest copy, no rebuild), under the next
 * version tag of its target and then its extra tags, and says so: {@code ImagePublished}, or {@code PipelineFailed}
 * (stage publish). A multi-platform image is promoted as its image index: the platform images it lists and their
 * blobs first, by digest, then the index bytes unchanged, so the published digest is the verified index digest and
 * every tag (the version, the moving ones) names the index; {@code ImagePublished.manifests} is the verified one's.
 *
 * <ul>
 *     <li>Version: the minor of the highest existing {@code <tagPrefix>-x.y.z} tag bumped, or {@code 1.0.0}.</li>
 *     <li>Idempotent on the run without a database: when a version tag already names the verified digest, that
 *     version is announced again and no new one is made (the digest identifies the run: its labels hold the run id);
 *     the image is then read from the target repository, so this works after the candidate was deleted from
 *     staging too.</li>
 *     <li>One run, one version: a run built twice (its build request handled by two builders at once, e.g. when a
 *     partition moved between them in the middle of a build) reaches this stage as two verified candidates with
 *     different digests (builds are not bit-reproducible). The second is announced as the version the first got, with
 *     the first's digest, and gets no version of its own ({@link #PUBLISHED_RUNS} runs remembered per publisher; the
 *     records of one image come to one publisher, in order).</li>
 *     <li>Version races: a version tag must be new; it is checked before it is put and read back after, so when
 *     another publisher took the version at the same time (or ECR refused an immutable tag) the version is
 *     recomputed at once, up to {@link PublishSettings#maxVersionAttempts()} times; when others took all of them,
 *     the publish is tried again after a pause, as {@link PublishSettings#retries()} says. One image publishes at a
 *     time here.</li>
 *     <li>Moving extra tags ({@code latest}, {@code 10.0}) only move to the highest version, so they never go back.</li>
 *     <li>Retention ({@code target.retention.keepVersions}): once published (also when announced again), this image's
 *     versions beyond the newest N are deleted (with their per-run tags) as {@link VersionRetention} says, never a
 *     digest another tag names. A failed delete is logged and does not change the outcome: the run is published, and
 *     the next publish tries again.</li>
 * </ul>
 *
 * <p>Retries (one layer per kind of failure): registry and ECR API failures are not retried here; the registry
 * client and the AWS SDK retried each request already, so a transient one ends the run ({@code transient-exhausted})
 * at once. Only losing the version race {@code maxVersionAttempts} times in a row is retried here. An interrupt (the
 * service stopping) throws {@code StopRequested}: the event is left for redelivery.
 */
public class PublishStage {

    private static final Logger LOG = Logger.getLogger(PublishStage.class);

    private final Function<String, PlatformImageCatalog.Scan> catalog;
    private final TargetRegistry registry;
    private final PublishSettings settings;
    private final Clock clock;
    private final Retry retry;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** How many published runs this stage remembers, newest kept: far more than one image's runs in flight. */
    static final int PUBLISHED_RUNS = 4096;
    private final Map<String, ImagePublished> publishedRuns = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ImagePublished> eldest) {
                    return size() > PUBLISHED_RUNS;
                }
            });

    public PublishStage(Function<String, PlatformImageCatalog.Scan> catalog, TargetRegistry registry, PublishSettings settings,
                        Clock clock) {
        this.catalog = catalog;
        this.registry = registry;
        this.settings = settings;
        this.clock = clock;
        this.retry = Retry.of(settings.retries(), e -> e instanceof VersionRaceLost).operation("publish")
                .reasonedBy(e -> "version-race-lost").describedBy(Throwable::getMessage);
    }

    public FreshenEvent publish(ImageVerified event) {
        Instant started = clock.instant();
        PlatformImageCatalog.Scan scan = catalog.apply(event.imageId());
        Optional<PlatformImage> found = scan.image(event.imageId());
        if (found.isEmpty()) {
            Optional<String> why = scan.errors().stream().filter(e -> e.file().startsWith(event.imageId() + "/"))
                    .map(DescriptorException::getMessage).findFirst();
            return failed(event, FailureKind.PERMANENT, why.isPresent() ? PublishProblems.DESCRIPTOR_INVALID
                    : PublishProblems.UNKNOWN_IMAGE, "unknown platform image: "
                    + why.orElse("no such folder with a platform-image.yaml"));
        }
        Target target = found.get().descriptor().target();
        ReentrantLock lock = locks.computeIfAbsent(event.imageId(), id -> new ReentrantLock(true));
        lock.lock();
        try {
            ImagePublished before = publishedRuns.get(event.runId());
            if (before != null && !before.image().digest().equals(event.candidate().digest())) {
                LOG.warnf("Run %s (%s): published as %s (%s) already; the candidate %s is a second build of the same "
                        + "run and gets no version of its own: announcing %s again", event.runId(), event.imageId(),
                        before.version(), before.image().digest().shortHex(), event.candidate().digest().shortHex(),
                        before.version());
                return before;
            }
            Published published = retry.get("publish of run " + event.runId() + " (" + event.imageId() + ")",
                    () -> attempt(event, target, started));
            if (target.retention() != null) {
                applyRetention(published, target);
            }
            publishedRuns.put(event.runId(), published.event());
            return published.event();
        } catch (PublishFailure e) {
            return failed(event, e.kind(), e.code(), e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} holding this image's publish lock: what else changes an image's tags (a rollback) never
     * interleaves with its publish in this publisher.
     */
    public <T> T exclusively(String imageId, java.util.function.Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(imageId, id -> new ReentrantLock(true));
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** A publish done: its event and the repository it went to. */
    private record Published(ImagePublished event, TargetRepository repository) {
    }

    /**
     * Deletes the versions beyond {@code target.retention.keepVersions}; logs and swallows every failure but an
     * interrupt (the service stopping: the event is delivered again and announced again).
     */
    private void applyRetention(Published published, Target target) {
        ImagePublished event = published.event();
        TargetRepository repository = published.repository();
        try {
            VersionRetention.Plan plan = VersionRetention.plan(target.tagPrefix(), target.extraTags(),
                    target.retention().keepVersions(), repository.taggedDigests(), event.image().digest());
            plan.held().forEach((tag, why) -> LOG.infof("Run %s (%s): keeping %s:%s beyond %d versions: %s",
                    event.runId(), event.imageId(), repository.describe(), tag, target.retention().keepVersions(), why));
            if (plan.isEmpty()) {
                return;
            }
            List<String> deleted = repository.deleteVersions(plan.delete());
            LOG.infof("Run %s (%s): retention (keep %d versions) deleted %s from %s%s", event.runId(), event.imageId(),
                    target.retention().keepVersions(), deleted.isEmpty() ? "nothing" : String.join(", ", deleted),
                    repository.describe(), deleted.size() == plan.delete().size() ? ""
                            : "; not deleted: " + plan.delete().keySet().stream().filter(t -> !deleted.contains(t)).toList());
        } catch (StopRequested e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf(e, "Run %s (%s): %s is published, but deleting its old versions (retention) failed; the next "
                    + "publish tries again: %s", event.runId(), event.imageId(), event.image(), e.getMessage());
        }
    }

    private Published attempt(ImageVerified event, Target target, Instant started) {
        // templates are checked before any version is taken, so a bad extra tag leaves no version behind
        ExtraTags.expand(target.extraTags(), event.runId(), event.occurredAt(), VersionTag.initial(target.tagPrefix()));
        TargetRepository repository = registry.open(target);
        Run run = new Run(event, target, repository);
        for (int round = 1; round <= settings.maxVersionAttempts(); round++) {
            List<String> tags = repository.tags();
            Optional<VersionTag> existing = publishedVersion(run, tags);
            VersionTag version;
            if (existing.isPresent()) {
                version = existing.get();
                LOG.infof("Run %s (%s): %s@%s is already published as %s; announcing it again", event.runId(),
                        event.imageId(), repository.describe(), run.digest().shortHex(), version);
            } else {
                version = VersionTag.next(target.tagPrefix(), tags);
                if (!claim(run, version)) {
                    continue;
                }
            }
            List<String> applied = new ArrayList<>(List.of(version.tag()));
            applied.addAll(extraTags(run, version));
            if (!repository.digestOf(version.tag()).equals(Optional.of(run.digest()))) {
                LOG.warnf("Run %s (%s): %s:%s was taken over by another image while its extra tags moved; "
                        + "recomputing the version", event.runId(), event.imageId(), repository.describe(), version);
                continue;
            }
            return new Published(published(run, version, previous(version, tags), applied, started), repository);
        }
        throw new VersionRaceLost("could not claim a version of " + repository.describe() + " (prefix "
                + target.tagPrefix() + ") in " + settings.maxVersionAttempts()
                + " tries: other publishers kept taking the computed version first");
    }

    /** Other publishers took every version this attempt computed: the one failure this stage retries. */
    static final class VersionRaceLost extends PublishFailure {
        VersionRaceLost(String reason) {
            super(FailureKind.TRANSIENT_EXHAUSTED, VERSION_RACE_LOST, reason, null);
        }
    }

    /** The version tag (highest first) that already names the verified digest: this run was published before. */
    private Optional<VersionTag> publishedVersion(Run run, List<String> tags) {
        List<String> versions = tags.stream()
                .map(t -> VersionTag.parse(run.target.tagPrefix(), t)).flatMap(Optional::stream)
                .sorted(Comparator.reverseOrder()).map(VersionTag::tag).toList();
        return run.repository.firstTagOf(run.digest(), versions)
                .flatMap(t -> VersionTag.parse(run.target.tagPrefix(), t));
    }

    /** Puts the new version tag if it is still free, and reads it back: false when another image got it. */
    private boolean claim(Run run, VersionTag version) {
        String tag = version.tag();
        Optional<Digest> holder = run.repository.digestOf(tag);
        if (holder.isPresent() && !holder.get().equals(run.digest())) {
            LOG.warnf("Run %s: %s:%s appeared meanwhile (%s); recomputing the version", run.event.runId(),
                    run.repository.describe(), tag, holder.get().shortHex());
            return false;
        }
        try {
            run.repository.putTag(run.manifest(), tag);
        } catch (TagConflictException e) {
            LOG.warnf("Run %s: %s; recomputing the version", run.event.runId(), e.getMessage());
            return false;
        }
        Optional<Digest> now = run.repository.digestOf(tag);
        if (!now.equals(Optional.of(run.digest()))) {
            LOG.warnf("Run %s: %s:%s names %s after it was put: another publisher claimed it at the same time; "
                    + "recomputing the version", run.event.runId(), run.repository.describe(), tag,
                    now.map(Digest::shortHex).orElse("nothing"));
            return false;
        }
        LOG.infof("Run %s (%s): %s@%s published as %s", run.event.runId(), run.event.imageId(),
                run.repository.describe(), run.digest().shortHex(), tag);
        return true;
    }

    /** Puts the extra tags; moving ones only when {@code version} is the highest, so that they never go back. */
    private List<String> extraTags(Run run, VersionTag version) {
        List<ExtraTags.ExtraTag> extras = ExtraTags.expand(run.target.extraTags(), run.event.runId(),
                run.event.occurredAt(), version);
        boolean newest = extras.stream().noneMatch(ExtraTags.ExtraTag::moving) || VersionTag
                .highest(version.prefix(), run.repository.tags()).map(version::equals).orElse(true);
        List<String> applied = new ArrayList<>();
        for (ExtraTags.ExtraTag extra : extras) {
            if (extra.moving() && !newest) {
                LOG.infof("Run %s: not moving %s:%s to %s: a higher version exists", run.event.runId(),
                        run.repository.describe(), extra.tag(), version);
                continue;
            }
            try {
                run.repository.putTag(run.manifest(), extra.tag());
            } catch (TagConflictException e) {
                throw PublishFailure.permanent(PublishFailure.EXTRA_TAG_CONFLICT, version + " is published, but extra tag '" + extra.tag()
                        + "' cannot be put: " + e.getMessage(), e);
            }
            applied.add(extra.tag());
        }
        return applied;
    }

    /** The highest version of the prefix below {@code version} among {@code tags}: the one this publish replaces. */
    static Optional<VersionTag> previous(VersionTag version, List<String> tags) {
        return tags.stream().map(t -> VersionTag.parse(version.prefix(), t)).flatMap(Optional::stream)
                .filter(v -> v.compareTo(version) < 0).max(Comparator.naturalOrder());
    }

    private ImagePublished published(Run run, VersionTag version, Optional<VersionTag> replaces, List<String> tags,
                                     Instant started) {
        Instant finished = clock.instant();
        List<StageTiming> timings = new ArrayList<>(run.event.timings());
        timings.add(new StageTiming(Stage.PUBLISH, started, finished));
        ImageReference image = new ImageReference(registry.host(), run.target.repository(), version.tag(), run.digest());
        ImageVerified event = run.event;
        return new ImagePublished(event.runId(), event.imageId(), 1, finished, event.trigger(), event.baseImages(), image,
                version.version(), tags, timings, replaces.map(VersionTag::tag).orElse(null)).withScan(event.scan())
                .withManifests(event.manifests());
    }

    private PipelineFailed failed(ImageVerified event, FailureKind kind, String code, String reason) {
        LOG.warnf("Run %s (%s): publish failed (%s, %s): %s", event.runId(), event.imageId(), kind.id(), code, reason);
        return new PipelineFailed(event.runId(), event.imageId(), 1, clock.instant(), Stage.PUBLISH, kind, reason, null,
                event.trigger()).withProblem(code, PublishProblems.hint(code, event.imageId()))
                .withCandidate(event.candidate());
    }

    /** One run's publish: the event, its target, the repository, and the verified image once imported. */
    private static final class Run {
        final ImageVerified event;
        final Target target;
        final TargetRepository repository;
        private Manifest manifest;

        Run(ImageVerified event, Target target, TargetRepository repository) {
            this.event = event;
            this.target = target;
            this.repository = repository;
        }

        Digest digest() {
            return event.candidate().digest();
        }

        /**
         * The verified image's manifest in the target repository: read there by digest when the repository holds it
         * already (a redelivered publish, whose candidate may have left staging since), else imported on first use.
         */
        Manifest manifest() {
            if (manifest == null) {
                manifest = repository.manifest(digest()).orElseGet(() -> repository.importImage(event.candidate()));
                if (!manifest.digest().equals(digest())) {
                    throw PublishFailure.permanent(PublishFailure.CANDIDATE_INVALID, "the manifest imported into " + repository.describe() + " has digest "
                            + manifest.digest() + ", not the verified " + digest());
                }
            }
            return manifest;
        }
    }
}
