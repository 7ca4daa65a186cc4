package dev.freshen.watcher;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.DescriptorProblem;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The image exists (its folder has a descriptor) but is not watched, because its descriptor is invalid: it cannot be
 * checked or built until the descriptor is fixed. The message names every problem; {@link #hint()} says what to do.
 */
public class ImageNotWatchedException extends RuntimeException {

    /** The problem code of the answer. */
    public static final String CODE = "image-not-watched";

    private final String imageId;
    private final List<DescriptorProblem> problems;
    private final String hint;

    public ImageNotWatchedException(String imageId, DescriptorException error) {
        super(imageId + " is not watched: its descriptor has " + (error.problems().size() == 1 ? "a problem: "
                : error.problems().size() + " problems: ") + error.problems().stream().map(DescriptorProblem::text)
                .collect(Collectors.joining("; ")));
        this.imageId = imageId;
        this.problems = error.problems();
        this.hint = "Fix " + error.file().toString().replace('\\', '/') + " (each problem says how); the watcher reads "
                + "it again at its next rescan, watches " + imageId + " again and announces it.";
    }

    public String imageId() {
        return imageId;
    }

    public List<DescriptorProblem> problems() {
        return problems;
    }

    public String hint() {
        return hint;
    }
}
