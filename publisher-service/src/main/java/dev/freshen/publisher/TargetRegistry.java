package dev.freshen.publisher;

import dev.freshen.descriptor.Target;
import dev.freshen.events.image.ImageReference;

/**
 * The registry platform images are published to: any OCI registry through the distribution API
 * ({@code registry.OciTargetRegistry}) or AWS ECR through its API ({@code ecr.EcrTargetRegistry}), chosen by
 * {@code freshen.publisher.kind}.
 */
public interface TargetRegistry {

    /** The registry host as written in image references, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}. */
    String host();

    /**
     * The repository of a platform image's {@code target}, ready to receive images: on ECR it was set up at start-up
     * with the settings computed over every descriptor (or is set up now, the same way, when start-up could not);
     * OCI registries create repositories on first push.
     *
     * @throws PublishFailure when the repository cannot be made ready
     */
    TargetRepository open(Target target);

    /**
     * The repository {@code candidate} (pinned by digest) is staged in, to delete it from once its run has ended: in
     * this registry or, where candidates are staged elsewhere, in that registry.
     */
    StagingRepository staging(ImageReference candidate);
}
