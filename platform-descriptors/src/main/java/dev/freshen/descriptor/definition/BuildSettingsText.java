package dev.freshen.descriptor.definition;

import dev.freshen.descriptor.Descriptor;
import dev.freshen.events.image.Platform;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The build-relevant fields of a descriptor as canonical text: the {@code platform-image.yaml} entry of a
 * {@link Definition}. One {@code key=value} line each, LF-terminated, defaults written out (so that spelling a default
 * changes nothing):
 * <pre>
 * build.dockerfile=Dockerfile
 * build.buildkit=auto
 * build.args.&lt;NAME&gt;=&lt;value&gt;     (sorted by name)
 * platforms=linux/amd64,linux/arm64  (as written; empty = the services' default)
 * </pre>
 * Values are escaped as paths are ({@code %XX}). Everything else of the descriptor ({@code schedule}, {@code notify},
 * {@code target}, {@code settle}, {@code checks}, {@code integrationTest}, {@code scan}, {@code rebuildOnChange})
 * does not define the build. A build field added later joins the text only when set to a value other than its
 * default, so that no existing hash moves.
 */
public final class BuildSettingsText {

    private BuildSettingsText() {
    }

    /** The canonical text of {@code descriptor}'s build settings. */
    public static String of(Descriptor descriptor) {
        StringBuilder text = new StringBuilder();
        line(text, "build.dockerfile", normalise(descriptor.build().dockerfile()));
        line(text, "build.buildkit", descriptor.build().buildkit().name().toLowerCase(java.util.Locale.ROOT));
        for (Map.Entry<String, String> arg : new TreeMap<>(descriptor.build().args()).entrySet()) {
            line(text, "build.args." + arg.getKey(), arg.getValue());
        }
        List<Platform> platforms = descriptor.platforms();
        line(text, "platforms", String.join(",", platforms.stream().map(Platform::toString).toList()));
        return text.toString();
    }

    /** A relative path without {@code ./} steps or doubled slashes. */
    static String normalise(String path) {
        String normal = path.replace('\\', '/').replaceAll("/+", "/");
        while (normal.startsWith("./")) {
            normal = normal.substring(2);
        }
        return normal.replace("/./", "/");
    }

    private static void line(StringBuilder text, String key, String value) {
        text.append(Definition.escape(key)).append('=').append(Definition.escape(value == null ? "" : value)).append('\n');
    }
}
