package dev.freshen.descriptor;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Map;

/** How the platform image is built: the Dockerfile (relative to the image folder), BuildKit, build args. */
public record Build(String dockerfile, BuildKit buildkit, Map<String, String> args) {

    /** Whether to build with BuildKit (docker CLI) or the classic builder (Engine API). */
    public enum BuildKit {
        /** BuildKit when the Dockerfile needs it (syntax directive, RUN --mount, COPY --chmod, heredocs). */
        AUTO,
        ALWAYS,
        NEVER;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static BuildKit of(String value) {
            for (BuildKit mode : values()) {
                if (mode.id().equals(value)) {
                    return mode;
                }
            }
            throw new InvalidField("buildkit", "'" + value + "' is not one of auto, always, never");
        }
    }

    public static final Build DEFAULT = new Build(null, null, null);

    public Build {
        dockerfile = dockerfile == null ? "Dockerfile" : dockerfile;
        buildkit = buildkit == null ? BuildKit.AUTO : buildkit;
        args = args == null ? Map.of() : Map.copyOf(args);
    }
}
