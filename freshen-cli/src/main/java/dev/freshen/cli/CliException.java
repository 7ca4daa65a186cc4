package dev.freshen.cli;

/** A failure to tell the operator in one line (exit code 1). */
public class CliException extends RuntimeException {

    public CliException(String message) {
        super(message);
    }
}
