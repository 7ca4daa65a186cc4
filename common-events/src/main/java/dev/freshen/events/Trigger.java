package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a run happened: an upstream base changed, or somebody forced it (with a reason). */
public record Trigger(Kind kind, String reason, String requestedBy) {

    public enum Kind {
        BASE_IMAGE_UPDATED("base-image-updated"), FORCED("forced");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }

        @JsonCreator
        public static Kind of(String id) {
            for (Kind kind : values()) {
                if (kind.id.equals(id)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown trigger kind '" + id + "' (expected base-image-updated or forced)");
        }
    }

    public Trigger {
        Require.present(kind, "Trigger", "kind");
    }

    public static Trigger baseImageUpdated() {
        return new Trigger(Kind.BASE_IMAGE_UPDATED, null, null);
    }

    public static Trigger forced(String reason, String requestedBy) {
        return new Trigger(Kind.FORCED, reason, requestedBy);
    }
}
