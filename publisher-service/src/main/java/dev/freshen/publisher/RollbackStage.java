package dev.freshen.publisher;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.Target;
import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.RollbackRequested;
import dev.freshen.events.Stage;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.VersionTag;
import dev.freshen.registry.Manifest;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rolls an image back: moves its moving extra tags ({@code latest}, {@code 10.0}, …) to the digest of an earlier
 * published version, without rebuilding or copying anything (a manifest put of the version's own manifest bytes, so
 * the digest stays that version's), and says so: {@code ImageRolledBack}, or {@code PipelineFailed} (stage
 * {@code publish}, trigger kind {@code rollback}, a {@code rollback-…} code or the registry's).
 *
 * <ul>
 *     <li>The tags moved are the descriptor's moving extra tags written without a template: a {@code {date}} tag names
 *     one day's image and stays; version tags and {@code {runId}}/{@code {version}} tags never move.</li>
 *     <li>This is the one deliberate exception to "moving tags never go back" ({@link PublishStage}); the next publish
 *     is a higher version, so it moves them forward again.</li>
 *     <li>Idempotent: the request names the version ({@link RollbackRequested#toVersion()}, resolved by the watcher),
 *     and putting a tag that already names the digest changes nothing, so a redelivered request moves nothing more.</li>
 *     <li>Holds the image's publish lock ({@link PublishStage#exclusively}), so a rollback and a publish of one image
 *     in this publisher never interleave.</li>
 * </ul>
 *
 * <p>Works on any target registry: {@link TargetRepository#tags()}, {@link TargetRepository#digestOf},
 * {@link TargetRepository#importImage} of an image already in the repository (a manifest read: {@code GET} by
 * digest on OCI registries, {@code BatchGetImage} on ECR) and {@link TargetRepository#putTag} ({@code PUT} manifest,
 * {@code PutImage}). Moving tags must be mutable (ECR: the exclusion filters keep them so).
 */
public class RollbackStage {

    /** The version to roll back to is not (or no longer) a version tag of the image in the target repository. */
    public static final String VERSION_MISSING = "rollback-version-missing";
    /** The descriptor has no moving extra tag to move. */
    public static final String NO_MOVING_TAGS = "rollback-no-moving-tags";
    /** A moving tag is immutable in the target repository. */
    public static final String TAG_CONFLICT = "rollback-tag-conflict";

    private static final Logger LOG = Logger.getLogger(RollbackStage.class);

    private final Function<String, PlatformImageCatalog.Scan> catalog;
    private final TargetRegistry registry;
    private final PublishStage publishing;
    private final Clock clock;

    /**
     * @param publishing the publish stage of this publisher, whose per-image lock a rollback holds
     */
    public RollbackStage(Function<String, PlatformImageCatalog.Scan> catalog, TargetRegistry registry,
                         PublishStage publishing, Clock clock) {
        this.catalog = catalog;
        this.registry = registry;
        this.publishing = publishing;
        this.clock = clock;
    }

    /** The extra tags a rollback moves: moving ones ({@link ExtraTags#isMoving}) written without any template. */
    public static List<String> movingTags(Target target) {
        return target.extraTags().stream().filter(t -> ExtraTags.isMoving(t) && !t.contains("{")).distinct().toList();
    }

    /** Moves the image's moving tags to {@code request.toVersion()}; never throws a {@link PublishFailure}. */
    public FreshenEvent rollback(RollbackRequested request) {
        PlatformImageCatalog.Scan scan = catalog.apply(request.imageId());
        Optional<PlatformImage> found = scan.image(request.imageId());
        if (found.isEmpty()) {
            Optional<String> why = scan.errors().stream().filter(e -> e.file().startsWith(request.imageId() + "/"))
                    .map(DescriptorException::getMessage).findFirst();
            return failed(request, FailureKind.PERMANENT, why.isPresent() ? PublishProblems.DESCRIPTOR_INVALID
                    : PublishProblems.UNKNOWN_IMAGE, "cannot roll back " + request.imageId() + ": unknown platform image: "
                    + why.orElse("no such folder with a platform-image.yaml"));
        }
        Target target = found.get().descriptor().target();
        try {
            return publishing.exclusively(request.imageId(), () -> move(request, target));
        } catch (PublishFailure e) {
            return failed(request, e.kind(), e.code(), e.getMessage());
        }
    }

    private ImageRolledBack move(RollbackRequested request, Target target) {
        List<String> moving = movingTags(target);
        if (moving.isEmpty()) {
            throw PublishFailure.permanent(NO_MOVING_TAGS, "cannot roll back " + request.imageId() + ": its target.extraTags "
                    + "name no moving tag without a template (such as latest or 10.0), so nothing points at a version "
                    + "that could go back");
        }
        TargetRepository repository = registry.open(target);
        List<String> tags = repository.tags();
        String prefix = target.tagPrefix();
        List<VersionTag> versions = tags.stream().map(t -> VersionTag.parse(prefix, t)).flatMap(Optional::stream)
                .sorted(Comparator.reverseOrder()).toList();
        String toTag = request.toVersion();
        Optional<Digest> toDigest = versions.stream().anyMatch(v -> v.tag().equals(toTag))
                ? repository.digestOf(toTag) : Optional.empty();
        if (toDigest.isEmpty()) {
            throw PublishFailure.permanent(VERSION_MISSING, "cannot roll back " + request.imageId() + " to " + toTag + ": "
                    + repository.describe() + " has no such version tag of prefix " + prefix + " (versions: "
                    + (versions.isEmpty() ? "none" : String.join(", ", versions.stream().limit(5).map(VersionTag::tag).toList())
                    + (versions.size() > 5 ? ", …" : "")) + ")");
        }
        ImageReference to = new ImageReference(registry.host(), target.repository(), toTag, toDigest.get());
        ImageReference from = from(request, repository, moving.get(0), versions, to);
        Manifest manifest = repository.importImage(to);
        if (!manifest.digest().equals(toDigest.get())) {
            throw PublishFailure.permanent(PublishFailure.CANDIDATE_INVALID, "the manifest of " + to + " read from "
                    + repository.describe() + " has digest " + manifest.digest() + ", not " + toDigest.get());
        }
        List<String> moved = new ArrayList<>();
        for (String tag : moving) {
            try {
                repository.putTag(manifest, tag);
            } catch (TagConflictException e) {
                throw PublishFailure.permanent(TAG_CONFLICT, "cannot move " + repository.describe() + ":" + tag + " back to "
                        + toTag + (moved.isEmpty() ? "" : " (moved already: " + String.join(", ", moved) + ")") + ": "
                        + e.getMessage(), e);
            }
            moved.add(tag);
        }
        LOG.infof("Rollback %s (%s): %s moved from %s to %s, asked by %s: %s", request.runId(), request.imageId(),
                String.join(", ", moved), from.tag() != null ? from.tag() : from.digest().shortHex(), toTag,
                request.requestedBy(), request.reason());
        return new ImageRolledBack(request.runId(), request.imageId(), 1, clock.instant(), from, to, moved,
                versions.get(0).tag(), request.reason(), request.requestedBy() == null ? "unknown" : request.requestedBy());
    }

    /**
     * Where the moving tags are before the move: the digest {@code firstMoving} names, with the highest version tag on
     * it. When they name the target already (a redelivered request), the version the watcher saw when it accepted
     * the request ({@link RollbackRequested#fromVersion()}), so the event says the same the second time.
     */
    private static ImageReference from(RollbackRequested request, TargetRepository repository, String firstMoving,
                                       List<VersionTag> versions, ImageReference to) {
        Optional<Digest> current = repository.digestOf(firstMoving);
        if ((current.isEmpty() || current.get().equals(to.digest())) && request.fromVersion() != null
                && versions.stream().anyMatch(v -> v.tag().equals(request.fromVersion()))) {
            Optional<Digest> asked = repository.digestOf(request.fromVersion());
            if (asked.isPresent()) {
                return to.withTag(request.fromVersion()).withDigest(asked.get());
            }
        }
        if (current.isEmpty()) {
            return to;
        }
        Optional<String> version = repository.firstTagOf(current.get(), versions.stream().map(VersionTag::tag).toList());
        return to.withTag(version.orElse(null)).withDigest(current.get());
    }

    private PipelineFailed failed(RollbackRequested request, FailureKind kind, String code, String reason) {
        LOG.warnf("Rollback %s (%s): failed (%s, %s): %s", request.runId(), request.imageId(), kind.id(), code, reason);
        return new PipelineFailed(request.runId(), request.imageId(), 1, clock.instant(), Stage.PUBLISH, kind, reason, null,
                request.trigger()).withProblem(code, hint(code, request.imageId()));
    }

    /** What to do about a failed rollback, by problem code; the publish hints for the codes a publish shares. */
    static String hint(String code, String imageId) {
        String descriptor = imageId + "/platform-image.yaml";
        return switch (code) {
            case VERSION_MISSING -> "List the published versions with 'freshen status " + imageId + "' and roll back to "
                    + "one of them: 'freshen rollback " + imageId + " --to <version>'.";
            case NO_MOVING_TAGS -> "Add a moving tag such as latest to target.extraTags in " + descriptor
                    + "; consumers that pin a version tag roll back by changing the tag they pull.";
            case TAG_CONFLICT -> "Make the moving tags mutable in the target repository (ECR: "
                    + "freshen.publisher.ecr.exclusion-filters, or 'freshen setup'), then roll back again.";
            case PublishFailure.REGISTRY_ERROR -> "Check that the registry named in the reason is reachable from the "
                    + "publisher and that its credentials (freshen.registries.credentials.*) may push; then roll back again.";
            case PublishFailure.ECR_ERROR -> "Check the publisher's AWS credentials and IAM policy (docs/iam/) against "
                    + "the ECR error code in the reason; then roll back again.";
            default -> PublishProblems.hint(code, imageId);
        };
    }
}
