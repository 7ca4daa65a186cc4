package dev.freshen.publisher;

import dev.freshen.descriptor.Staging;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.retry.Failures;
import dev.freshen.retry.StopRequested;
import org.jboss.logging.Logger;

import java.util.List;
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
 * <p>Never a digest that anything else names: where deleting removes the manifest with every tag on it (OCI
 * registries delete by digest, and the CNCF registry removes each tag of the repository on that digest), the
 * candidate is deleted only when no other tag of its repository names the digest. So when candidates are staged in
 * the target repository itself ({@code freshen.builder.staging-repository={repository}}), a published candidate
 * (its version tag names the digest) is left alone, with a debug log; its candidate tag stays. ECR deletes the tag
 * only, so there the candidate tag always goes.
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

    /** What became of a candidate. */
    public enum Result { DELETED, GONE_ALREADY, KEPT, NOT_DELETED }

    /** After the run of {@code verified} was published. */
    public Result afterPublished(ImageVerified verified) {
        return delete(verified.runId(), verified.candidate());
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
        return Optional.of(delete(failed.runId(), failed.candidate()));
    }

    private Result delete(String runId, ImageReference candidate) {
        String tag = Staging.candidateTag(runId);
        Digest digest = candidate.digest();
        String shown = candidate.withDigest(null).withTag(tag) + "@" + digest.shortHex();
        StagingRepository repository = null;
        try {
            repository = staging.apply(candidate);
            if (!repository.deletesTagOnly()) {
                Optional<String> other = otherTagOf(repository, tag, digest);
                if (other.isPresent()) {
                    LOG.debugf("Run %s: not deleting the candidate %s: %s:%s names the same digest, and deleting it "
                            + "would remove that tag too", runId, shown, repository.describe(), other.get());
                    return Result.KEPT;
                }
            }
            boolean deleted = repository.delete(tag, digest);
            if (deleted) {
                LOG.infof("Run %s: deleted the candidate %s from staging", runId, shown);
                return Result.DELETED;
            }
            LOG.debugf("Run %s: the candidate %s was deleted already", runId, shown);
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

    /** A tag other than {@code tag} that names {@code digest} in {@code repository}. */
    private static Optional<String> otherTagOf(StagingRepository repository, String tag, Digest digest) {
        List<String> others = repository.tags().stream().filter(t -> !t.equals(tag)).toList();
        for (String other : others) {
            if (repository.digestOf(other).filter(digest::equals).isPresent()) {
                return Optional.of(other);
            }
        }
        return Optional.empty();
    }
}
