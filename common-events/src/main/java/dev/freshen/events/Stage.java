package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** The stages of a pipeline run, in order. Serialised in lower case ({@code "build"}). */
public enum Stage {
    DETECT, BUILD, TEST, PUBLISH, NOTIFY;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Stage of(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown stage '" + id + "' (expected one of "
                        + Arrays.stream(values()).map(Stage::id).toList() + ")"));
    }
}
