package dev.freshen.cli;

import picocli.CommandLine;

/** {@code -o text|json}: a table for people, or a stable JSON document for scripts (docs/cli.md). */
public class OutputOptions {

    /** Output formats; lower case, as typed. */
    enum Format { text, json }

    @CommandLine.Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE})")
    Format format;

    boolean json() {
        return format == Format.json;
    }
}
