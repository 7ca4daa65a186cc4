package dev.freshen.publisher;

import dev.freshen.descriptor.Staging;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;
import dev.freshen.retry.Failures;
import dev.freshen.retry.StopRequested;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Deletes a run's candidate ({@code <staging repository>:candidate-<runId>}) once the run has ended: after its
 * {@code ImagePublished}, and after a {@code PipelineFailed} of stage test or publish that names the candidate. Not
 * after a failure of kind {@code internal}: that input is dead-lettered to be replayed, and the replay needs the
 * candidate.
 *
 * <p>A multi-platform candidate is an image index: the index goes first, then each platform image it lists
 * ({@code candidate-<runId>-linux-arm64}, {@link Staging#platformCandidateTag}), read from the index in staging (or,
 * when the index is gone already, from {@code ImageVerified.manifests}). The platform images are the run's own (their
 * labels hold the run id), so no other run's index lists them.
 *
 * <p>Never a digest that anything else names: where deleting removes the manifest with every tag on it (OCI
 * registries delete by digest, and the CNCF registry removes each tag of the repository on that digest), the
 * candidate is deleted only when no other tag of its repository names the digest, and each platform image only when
 * no tag but its own candidate tag names it. So when candidates are staged in the target repository itself
 * ({@code freshen.builder.staging-repository={repository}}), a published candidate (its version tag names the digest)
 * is left alone with its platform images (the published index lists them), with a debug log; its candidate tags
 * stay. ECR deletes the tag only, so there the candidate tags always go (ECR keeps an image an index lists).
 *
 * <p>Clean-up never fails a run and never throws (but for the service stopping): a registry with deletes off is one
 * warning per repository naming the setting to turn on; any other failure is one warning naming the candidate.
 */
public class CandidateCleanup {

    private static final Logger LOG = Logger.getLogger(CandidateCleanup.class);

    private final Function<ImageReference, StagingRepository> staging;
    private final Set<String> refusing = ConcurrentHashMap.newKeySet();

    /** @param staging the repository a candidate (pinned by digest) is staged in */
    public CandidateCleanup(Function<ImageReference, StagingRepository> staging) {
        this.staging = staging;
    }

    /** What became of a candidate (of its index, for a multi-platform one). */
    public enum Result { DELETED, GONE_ALREADY, KEPT, NOT_DELETED }

    /** After the run of {@code verified} was published. */
    public Result afterPublished(ImageVerified verified) {
        return delete(verified.runId(), verified.candidate(), verified.manifests());
    }

    /**
     * After a run failed: deletes the candidate a failure of stage test or publish names; other failures (of the
     * build, which has no candidate, of kind internal, or from an older stage that names none) are left alone.
     *
     * @return empty when the failure is not one whose candidate is deleted
     */
    public Optional<Result> afterFailed(PipelineFailed failed) {
        if (failed.candidate() == null || FailureKind.INTERNAL.equals(failed.kind())
                || !(failed.stage() == Stage.TEST || failed.stage() == Stage.PUBLISH)) {
            return Optional.empty();
        }
        return Optional.of(delete(failed.runId(), failed.candidate(), List.of()));
    }

    /**
     * @param known the platform images the run's events name ({@code ImageVerified.manifests}), used when the index
     *              cannot be read from staging any more
     */
    private Result delete(String runId, ImageReference candidate, List<PlatformDigest> known) {
        String tag = Staging.candidateTag(runId);
        Digest digest = candidate.digest();
        String shown = candidate.withDigest(null).withTag(tag) + "@" + digest.shortHex();
        StagingRepository repository = null;
        try {
            repository = staging.apply(candidate);
            List<Child> children = repository.manifest(digest).filter(Manifest::isIndex)
                    .map(index -> ImageIndexes.read(index).stream().map(e -> new Child(e.platform(), e.digest())).toList())
                    .orElseGet(() -> known.stream().map(m -> new Child(m.platform(), m.digest())).toList());
            Map<String, Digest> tagged = repository.deletesTagOnly() ? Map.of() : tagged(repository);
            if (!repository.deletesTagOnly()) {
                Optional<String> other = otherTagOf(tagged, tag, digest);
                if (other.isPresent()) {
                    LOG.debugf("Run %s: not deleting the candidate %s: %s:%s names the same digest, and deleting it "
                            + "would remove that tag too", runId, shown, repository.describe(), other.get());
                    return Result.KEPT;
                }
            }
            boolean deleted = repository.delete(tag, digest);
            int childrenDeleted = 0;
            for (Child child : children) {
                childrenDeleted += deleteChild(repository, runId, child, tagged) ? 1 : 0;
            }
            String platforms = children.isEmpty() ? "" : " and " + childrenDeleted + " of its " + children.size()
                    + " platform images";
            if (deleted) {
                LOG.infof("Run %s: deleted the candidate %s%s from staging", runId, shown, platforms);
                return Result.DELETED;
            }
            LOG.debugf("Run %s: the candidate %s was deleted already%s", runId, shown,
                    childrenDeleted > 0 ? "; deleted " + childrenDeleted + " platform images it listed" : "");
            return Result.GONE_ALREADY;
        } catch (StopRequested e) {
            throw e;
        } catch (StagingRepository.DeletesRefused e) {
            String where = repository != null ? repository.describe() : candidate.registry() + "/" + candidate.repository();
            if (refusing.add(where)) {
                LOG.warnf("Candidates stay in %s: the registry refuses deletes (%s). Turn on %s to have them deleted "
                        + "once their run has ended (first kept: %s)", where, e.getMessage(), e.setting(), shown);
            }
            return Result.NOT_DELETED;
        } catch (RuntimeException e) {
            LOG.warnf("Run %s: the candidate %s was not deleted from staging: %s", runId, shown,
                    e.getMessage() == null ? Failures.plainWords(e) : e.getMessage());
            return Result.NOT_DELETED;
        }
    }

    /**
     * Deletes one platform image of a deleted index: by its tag {@code candidate-<runId>-<os>-<arch>} where deletes
     * remove tags only, else by digest unless a tag other than that one names it.
     *
     * @return whether it was deleted now
     */
    private static boolean deleteChild(StagingRepository repository, String runId, Child child,
                                       Map<String, Digest> tagged) {
        String tag = child.platform() == null ? null : Staging.platformCandidateTag(runId, child.platform());
        if (repository.deletesTagOnly()) {
            return tag != null && repository.delete(tag, child.digest());
        }
        Optional<String> other = otherTagOf(tagged, tag, child.digest());
        if (other.isPresent()) {
            LOG.debugf("Run %s: not deleting the platform image %s@%s: %s:%s names it", runId, repository.describe(),
                    child.digest().shortHex(), repository.describe(), other.get());
            return false;
        }
        return repository.delete(tag, child.digest());
    }

    /** A platform image an index lists: its platform (null where the index names none) and digest. */
    private record Child(Platform platform, Digest digest) {
    }

    /** Every tag of the repository with the digest it names (a tag gone meanwhile is left out). */
    private static Map<String, Digest> tagged(StagingRepository repository) {
        Map<String, Digest> tagged = new LinkedHashMap<>();
        for (String tag : repository.tags()) {
            repository.digestOf(tag).ifPresent(d -> tagged.put(tag, d));
        }
        return tagged;
    }

    /** A tag other than {@code tag} that names {@code digest}. */
    private static Optional<String> otherTagOf(Map<String, Digest> tagged, String tag, Digest digest) {
        return tagged.entrySet().stream().filter(t -> !t.getKey().equals(tag) && t.getValue().equals(digest))
                .map(Map.Entry::getKey).findFirst();
    }
}
