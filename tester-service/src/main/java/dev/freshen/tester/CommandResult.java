package dev.freshen.tester;

/** How a command run in a throw-away container ended, with the end of its output. */
public record CommandResult(int exitCode, String output) {
}
