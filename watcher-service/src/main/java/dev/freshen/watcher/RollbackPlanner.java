package dev.freshen.watcher;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.Target;
import dev.freshen.events.RollbackRequested;
import dev.freshen.events.RunIds;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.VersionTag;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Checks a rollback request against the descriptor and the target registry, resolves the version to go back to, and
 * hands it to the publisher ({@code RollbackRequested}); the publisher moves the tags. Read only: the watcher has no
 * registry write rights.
 *
 * <ul>
 *     <li>The moving tags are the descriptor's extra tags written without a template ({@code latest}, {@code 10.0});
 *     the first of them says which version is current: the highest version tag naming its digest (the highest
 *     version when it does not exist yet).</li>
 *     <li>{@code to}: a version tag of the image's prefix ({@code 10.0-noble-1.1.0}) or its number ({@code 1.1.0}), which
 *     must be published; by default the highest version below the current one.</li>
 * </ul>
 * The request carries the resolved version, so the publisher's move is idempotent (a redelivered request does not
 * go back one more version).
 */
public class RollbackPlanner {

    private static final Logger LOG = Logger.getLogger(RollbackPlanner.class);
    private static final Pattern NUMBER = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static final int LISTED = 5;

    private final Supplier<PlatformImageCatalog.Scan> catalog;
    private final PublishedTags registry;
    private final RollbackRequests requests;
    private final Clock clock;

    public RollbackPlanner(Supplier<PlatformImageCatalog.Scan> catalog, PublishedTags registry, RollbackRequests requests,
                           Clock clock) {
        this.catalog = catalog;
        this.registry = registry;
        this.requests = requests;
        this.clock = clock;
    }

    /**
     * Asks the publisher to move the moving tags of {@code imageId} back.
     *
     * @param to          a version tag or number; {@code null} for the version before the current one
     * @param requestedBy who asks ({@code api:<key name>})
     * @return the request as sent
     * @throws UnknownImageException     when there is no such image
     * @throws ImageNotWatchedException  when its descriptor is invalid
     * @throws RollbackRefusedException  when there is nothing to roll back to, or {@code to} is not a published version
     * @throws RunNotStartedException    when Kafka did not take the request
     */
    public RollbackRequested request(String imageId, String to, String reason, String requestedBy) {
        Target target = image(imageId).descriptor().target();
        String prefix = target.tagPrefix();
        List<String> moving = target.extraTags().stream().filter(t -> !t.contains("{")).distinct().toList();
        if (moving.isEmpty()) {
            throw new RollbackRefusedException(409, "rollback-no-moving-tags", imageId + " has no moving tag to roll back: "
                    + "its target.extraTags name no tag without a template (such as latest or 10.0)",
                    "add a moving tag to target.extraTags in " + imageId + "/platform-image.yaml; consumers that pin a "
                            + "version tag roll back by changing the tag they pull");
        }
        List<VersionTag> versions;
        VersionTag now;
        try {
            versions = registry.tags(target).stream().map(t -> VersionTag.parse(prefix, t)).flatMap(Optional::stream)
                    .sorted(Comparator.reverseOrder()).toList();
            now = current(target, versions, moving.get(0));
        } catch (RuntimeException e) {
            LOG.warnf("Rollback of %s: cannot read the target registry: %s", imageId, e.getMessage());
            throw new RollbackRefusedException(502, "registry-unavailable", "cannot read the published versions of "
                    + imageId + ": " + e.getMessage(), "check that the watcher reaches the target registry "
                    + "(freshen.target-registry and its credentials), then ask again");
        }
        if (versions.isEmpty()) {
            throw new RollbackRefusedException(409, "rollback-nothing-published", imageId + " has no published version "
                    + "in " + target.repository() + " (prefix " + prefix + ")", "nothing to roll back to; 'freshen status "
                    + imageId + "' shows what the watcher knows");
        }
        VersionTag goal = to == null ? below(imageId, versions, now, moving.get(0)) : published(imageId, prefix, to, versions);
        if (goal.equals(now)) {
            throw new RollbackRefusedException(409, "rollback-already-there", "the moving tags of " + imageId + " ("
                    + String.join(", ", moving) + ") name " + goal.tag() + " already",
                    "name another version with --to (published: " + listed(versions) + ")");
        }
        RollbackRequested request = new RollbackRequested(RunIds.rollback(), imageId, 1, clock.instant(),
                now == null ? null : now.tag(), goal.tag(), reason, requestedBy);
        requests.send(request);
        LOG.infof("Rollback %s (%s): %s -> %s asked by %s, reason: %s", request.runId(), imageId,
                request.fromVersion(), goal.tag(), requestedBy, reason);
        return request;
    }

    /**
     * The version the moving tags name now: the highest version tag on the digest {@code firstMoving} names (one
     * request per version from the highest down, usually one); the highest version when {@code firstMoving} does not
     * exist yet; {@code null} when it names a digest no version tag is on. {@code null} too when nothing is published.
     */
    private VersionTag current(Target target, List<VersionTag> versions, String firstMoving) {
        if (versions.isEmpty()) {
            return null;
        }
        Optional<Digest> current = registry.digestOf(target, firstMoving);
        if (current.isEmpty()) {
            return versions.get(0);
        }
        return versions.stream().filter(v -> registry.digestOf(target, v.tag()).equals(current)).findFirst().orElse(null);
    }

    /** The highest version below the current one ({@code now}; the highest when the current has no version). */
    private static VersionTag below(String imageId, List<VersionTag> versions, VersionTag now, String firstMoving) {
        if (now == null) {
            return versions.get(0);
        }
        return versions.stream().filter(v -> v.compareTo(now) < 0).findFirst().orElseThrow(() ->
                new RollbackRefusedException(409, "rollback-no-earlier-version", imageId + ":" + firstMoving + " names "
                        + now.tag() + ", and no earlier version is published", "nothing to roll back to"
                        + (versions.size() > 1 ? "; name a version with --to (published: " + listed(versions) + ")" : "")));
    }

    /** {@code to} as a published version of the prefix. */
    private static VersionTag published(String imageId, String prefix, String to, List<VersionTag> versions) {
        String tag = NUMBER.matcher(to.strip()).matches() ? prefix + "-" + to.strip() : to.strip();
        Optional<VersionTag> parsed = VersionTag.parse(prefix, tag);
        if (parsed.isEmpty()) {
            throw new RollbackRefusedException(400, "rollback-version-invalid", "'" + to + "' is not a version of "
                    + imageId + ": its version tags are " + prefix + "-<major>.<minor>.<patch>",
                    "give a version tag such as " + versions.get(0).tag() + " or its number " + versions.get(0).version());
        }
        if (!versions.contains(parsed.get())) {
            throw new RollbackRefusedException(409, "rollback-version-missing", parsed.get().tag() + " is not a published "
                    + "version of " + imageId, "published: " + listed(versions));
        }
        return parsed.get();
    }

    private static String listed(List<VersionTag> versions) {
        return String.join(", ", versions.stream().limit(LISTED).map(VersionTag::tag).toList())
                + (versions.size() > LISTED ? ", … (" + versions.size() + " in all)" : "");
    }

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
        throw new UnknownImageException(imageId, null);
    }
}
