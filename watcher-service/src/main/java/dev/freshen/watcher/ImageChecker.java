package dev.freshen.watcher;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.BaseImage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.RunIds;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.VersionTag;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Checks platform images for upstream changes and starts runs: one check at a time per image, and never a second run
 * for a change that already has one (the run id is derived from the change and looked up in the {@link RunLedger}).
 */
public class ImageChecker {

    private static final Logger LOG = Logger.getLogger(ImageChecker.class);

    private final Supplier<PlatformImageCatalog.Scan> catalog;
    private final ImageRegistry registry;
    private final RunLedger ledger;
    private final RunStarter runs;
    private final Clock clock;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, CheckOutcome> lastOutcomes = new ConcurrentHashMap<>();

    public ImageChecker(Supplier<PlatformImageCatalog.Scan> catalog, ImageRegistry registry, RunLedger ledger,
                        RunStarter runs, Clock clock) {
        this.catalog = catalog;
        this.registry = registry;
        this.ledger = ledger;
        this.runs = runs;
        this.clock = clock;
    }

    /** Checks one image now. */
    public CheckOutcome check(String imageId) {
        PlatformImage image = image(imageId);
        if (!ledger.complete()) {
            throw new NotReadyException("the run ledger is still reading the run topics; try again shortly");
        }
        synchronized (locks.computeIfAbsent(imageId, id -> new Object())) {
            CheckOutcome outcome = checkLocked(image);
            lastOutcomes.put(imageId, outcome);
            return outcome;
        }
    }

    /** Starts a forced run of a known image. */
    public ForceUpdateRequested forceUpdate(String imageId, String reason, String requestedBy) {
        image(imageId);
        ForceUpdateRequested event = new ForceUpdateRequested(RunIds.forced(), imageId, 1, clock.instant(), reason, requestedBy);
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
            return new CheckOutcome(id, outcome.checkedAt(), outcome.result(), outcome.upstreamDigests(),
                    new BuiltFrom(event.image().tag(), event.digest(), bases), outcome.runId(), outcome.message());
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

    private CheckOutcome checkLocked(PlatformImage image) {
        Instant now = clock.instant();
        if (image.baseImages().isEmpty()) {
            String why = image.pinnedBases().isEmpty() ? "the Dockerfile has no external base image"
                    : "every base of the Dockerfile is pinned by digest (pinned, not watched: "
                    + image.pinnedBases().stream().map(Object::toString).collect(java.util.stream.Collectors.joining(", "))
                    + ")";
            return new CheckOutcome(image.id(), now, CheckOutcome.Result.NO_BASES, null, null, null,
                    why + "; use force-update to rebuild it");
        }
        Map<ImageReference, Digest> upstream = new LinkedHashMap<>();
        Map<String, String> shown = new LinkedHashMap<>();
        Optional<BuiltFrom> builtFrom;
        try {
            for (ImageReference base : image.baseImages()) {
                Digest digest = registry.upstreamDigest(base)
                        .orElseThrow(() -> new IllegalStateException("base image " + base + " does not exist upstream"));
                upstream.put(base, digest);
                shown.put(base.toString(), digest.toString());
            }
            builtFrom = registry.builtFrom(image.descriptor().target());
        } catch (RuntimeException e) {
            LOG.warnf("Check of %s failed: %s", image.id(), e.getMessage());
            return new CheckOutcome(image.id(), now, CheckOutcome.Result.ERROR, shown, null, null, e.getMessage());
        }
        Decision decision = UpdateDetector.decide(image.baseImages(), upstream, builtFrom);
        if (decision instanceof Decision.Rebuild rebuild) {
            return startRun(image, rebuild, shown, builtFrom.orElse(null), now);
        }
        LOG.debugf("%s is up to date", image.id());
        return new CheckOutcome(image.id(), now, CheckOutcome.Result.UP_TO_DATE, shown, builtFrom.orElse(null), null,
                "built from the current upstream digests");
    }

    private CheckOutcome startRun(PlatformImage image, Decision.Rebuild rebuild, Map<String, String> shown,
                                  BuiltFrom builtFrom, Instant now) {
        String runId = RunIds.forBaseUpdate(image.id(), rebuild.baseImages().stream().map(BaseImage::digest).toList(),
                image.contentHash());
        if (ledger.knows(runId)) {
            RunLedger.Run run = ledger.run(runId).orElseThrow();
            return new CheckOutcome(image.id(), now, CheckOutcome.Result.RUN_EXISTS, shown, builtFrom, runId,
                    rebuild.why() + "; run " + runId + " for this change is " + run.state().name().toLowerCase().replace('_', '-'));
        }
        BaseImageUpdated event = new BaseImageUpdated(runId, image.id(), 1, now, rebuild.baseImages(), image.contentHash());
        runs.start(event);
        ledger.apply(event);
        LOG.infof("Run %s (%s): base image update, %s", runId, image.id(), rebuild.why());
        return new CheckOutcome(image.id(), now, CheckOutcome.Result.RUN_STARTED, shown, builtFrom, runId, rebuild.why());
    }
}
