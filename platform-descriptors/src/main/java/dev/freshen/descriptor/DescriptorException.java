package dev.freshen.descriptor;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A platform image that cannot be served, with every problem of its descriptor ({@link #problems()}: each names the
 * file, the field, the line and what to do). The message is the problems' texts in one line.
 *
 * <p>Besides the problems it carries what could still be read of the descriptor, so that an invalid image stays
 * recognisable: its id ({@code null} when the folder name is no image id), its {@link #target()} when that part of
 * the file is valid (to find what was last published), and its {@link #channels()} when {@code notify} is valid (to
 * tell the image's own channels that it is not watched any more).
 */
public class DescriptorException extends RuntimeException {

    private final Path file;
    private final String imageId;
    private final List<DescriptorProblem> problems;
    private final Target target;
    private final List<String> channels;

    public DescriptorException(Path file, String imageId, List<DescriptorProblem> problems, Target target,
                               List<String> channels) {
        super(message(file, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a descriptor error has at least one problem");
        }
        this.file = file;
        this.imageId = imageId;
        this.problems = List.copyOf(problems);
        this.target = target;
        this.channels = channels == null ? List.of() : List.copyOf(channels);
    }

    /** The descriptor file, relative to the platform-images root. */
    public Path file() {
        return file;
    }

    /** The image id (the folder path), or {@code null} when the folder's path is not a valid image id. */
    public String imageId() {
        return imageId;
    }

    /** Every problem found, in the order of the file (then the checks that need other files, then other images). */
    public List<DescriptorProblem> problems() {
        return problems;
    }

    /** The {@code target} as far as it is valid: its repository and tag prefix (and extra tags when valid). */
    public Optional<Target> target() {
        return Optional.ofNullable(target);
    }

    /** The {@code notify} channel names when that field is valid by itself; empty otherwise. */
    public List<String> channels() {
        return channels;
    }

    /** This error with more problems (found by checks across images), keeping what could be read. */
    public DescriptorException with(List<DescriptorProblem> more) {
        List<DescriptorProblem> all = new java.util.ArrayList<>(problems);
        all.addAll(more);
        return new DescriptorException(file, imageId, all, target, channels);
    }

    private static String message(Path file, List<DescriptorProblem> problems) {
        if (problems.size() == 1) {
            return problems.get(0).text();
        }
        StringBuilder text = new StringBuilder().append(file).append(": ").append(problems.size()).append(" problems: ");
        for (int i = 0; i < problems.size(); i++) {
            DescriptorProblem problem = problems.get(i);
            text.append(i == 0 ? "" : "; ").append(i + 1).append(") ");
            if (!problem.file().equals(file.toString().replace('\\', '/'))) {
                text.append(problem.file()).append(' ');
            }
            text.append(problem.line() == 0 ? "" : problem.place() + ": ").append(problem.message());
        }
        return text.toString();
    }
}
