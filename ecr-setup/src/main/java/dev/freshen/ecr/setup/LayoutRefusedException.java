package dev.freshen.ecr.setup;

import java.util.List;

/**
 * The descriptors cannot be published to ECR with the configured tag mutability: each problem names the repository,
 * the images and tags, and what to change. Thrown before any repository is created or any image published.
 */
public final class LayoutRefusedException extends RuntimeException {

    private final List<String> problems;

    public LayoutRefusedException(List<String> problems) {
        super("the ECR repositories cannot be set up for these platform images: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One sentence per problem. */
    public List<String> problems() {
        return problems;
    }
}
