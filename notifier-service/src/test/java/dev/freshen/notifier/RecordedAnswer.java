package dev.freshen.notifier;

import dev.freshen.testing.WebhookReceiver.Reply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One recorded endpoint answer of {@code src/test/resources/answers/<rule>/<case>.http} (format in that folder's
 * README): where it was recorded, the verdict its channel's rule must reach, and the answer itself.
 */
public record RecordedAnswer(String rule, String name, List<String> sources, Verdict.Kind expect, Answer answer) {

    /** The fixtures folder, {@code src/test/resources/answers}. */
    public static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
            .resolve("src/test/resources/answers");

    /** {@code answers/<rule>/<name>.http}. */
    public static RecordedAnswer of(String rule, String name) {
        return read(ROOT.resolve(rule).resolve(name + ".http"));
    }

    /** Every recorded answer, folder by folder. */
    public static List<RecordedAnswer> all() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(f -> f.toString().endsWith(".http")).sorted().map(RecordedAnswer::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RecordedAnswer read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int split = text.indexOf("\n\n");
        if (split < 0) {
            throw new IllegalArgumentException(file + ": no empty line after the headers");
        }
        String body = text.substring(split + 2);
        body = body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
        List<String> sources = new ArrayList<>();
        Verdict.Kind expect = null;
        Integer status = null;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line : text.substring(0, split).split("\n")) {
            if (line.startsWith("# source:")) {
                sources.add(line.substring("# source:".length()).strip());
            } else if (line.startsWith("# expect:")) {
                expect = Verdict.Kind.valueOf(line.substring("# expect:".length()).strip().toUpperCase(Locale.ROOT));
            } else if (status == null) {
                if (!line.startsWith("HTTP/1.1 ")) {
                    throw new IllegalArgumentException(file + ": expected the status line, found: " + line);
                }
                status = Integer.parseInt(line.substring(9, 12));
            } else {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).strip(), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
        }
        if (sources.isEmpty() || expect == null || status == null) {
            throw new IllegalArgumentException(file + ": needs # source:, # expect: and a status line");
        }
        String rule = file.getParent().getFileName().toString();
        String name = file.getFileName().toString().replaceFirst("\\.http$", "");
        return new RecordedAnswer(rule, name, List.copyOf(sources), expect, new Answer(status, headers, body));
    }

    /** The same answer as a scripted reply of the HTTP receiver double. */
    public Reply reply() {
        Reply reply = Reply.status(answer.status()).withBody(answer.body());
        for (var header : answer.headers().entrySet()) {
            reply = reply.withHeader(header.getKey(), header.getValue().get(0));
        }
        return reply;
    }

    @Override
    public String toString() {
        return rule + "/" + name;
    }
}
