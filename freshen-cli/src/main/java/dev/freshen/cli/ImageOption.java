package dev.freshen.cli;

import dev.freshen.events.ImageIds;
import picocli.CommandLine;

/** An image id given as an option: one that cannot be an image id is a bad argument (exit 2). */
final class ImageOption {

    private ImageOption() {
    }

    /** Nothing for {@code null}; a {@link CommandLine.ParameterException} saying what is wrong with a malformed id. */
    static void validate(String imageId, CommandLine.Model.CommandSpec spec) {
        if (imageId == null) {
            return;
        }
        try {
            ImageIds.validate(imageId);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
