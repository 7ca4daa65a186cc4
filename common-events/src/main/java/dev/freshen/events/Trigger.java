package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * Why a run happened: an upstream base changed, or somebody forced it (with a reason and who asked), or a reason
 * a newer version added. Every stage copies the run's trigger into the event it writes, so the trigger, fields this
 * version does not know included ({@link #unknownFields()}, see the package description), reaches the notifier as the
 * first stage wrote it.
 */
public record Trigger(Kind kind, String reason, String requestedBy, @JsonAnySetter Map<String, JsonNode> unknownFields) {

    /**
     * The kind of trigger; on the wire its id ({@code "forced"}). An open set of values like {@link FailureKind}: a
     * newer writer may add kinds (for example {@code definition-changed} or {@code parent-published}), which this
     * version reads as an other kind ({@link #isOther()}) that keeps its id. A well-known kind is always its
     * constant instance, so {@code kind == Trigger.Kind.FORCED} is as correct as {@code equals}.
     */
    public static final class Kind extends OpenValue {

        public static final Kind BASE_IMAGE_UPDATED = new Kind("base-image-updated", true);
        public static final Kind FORCED = new Kind("forced", true);
        /** Not a run: the trigger of a failed rollback's {@code PipelineFailed} (reason and who asked). */
        public static final Kind ROLLBACK = new Kind("rollback", true);

        private static final List<Kind> KNOWN = List.of(BASE_IMAGE_UPDATED, FORCED, ROLLBACK);
        private static final Map<String, Kind> BY_ID = WireIds.index(KNOWN, Kind::id);

        private Kind(String id, boolean known) {
            super(id, known);
        }

        /**
         * The kind with wire id {@code id}: the constant for a well-known id, else an other kind carrying {@code id}.
         *
         * @throws IllegalArgumentException when {@code id} is empty or not shaped like an id (lowercase words joined
         *                                  by {@code -}, at most 64 characters)
         */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Kind of(String id) {
            Kind kind = BY_ID.get(id);
            return kind != null ? kind : new Kind(WireIds.check(id, "trigger kind"), false);
        }

        /** The kinds this version knows, in declaration order. */
        public static List<Kind> knownValues() {
            return KNOWN;
        }
    }

    public Trigger {
        Require.present(kind, "Trigger", "kind");
        unknownFields = UnknownFields.copyOf(unknownFields);
    }

    /** A trigger with only the fields this version knows. */
    public Trigger(Kind kind, String reason, String requestedBy) {
        this(kind, reason, requestedBy, Map.of());
    }

    public static Trigger baseImageUpdated() {
        return new Trigger(Kind.BASE_IMAGE_UPDATED, null, null);
    }

    public static Trigger forced(String reason, String requestedBy) {
        return new Trigger(Kind.FORCED, reason, requestedBy);
    }

    /** A rollback's trigger (on the {@code PipelineFailed} of a rollback that could not be done). */
    public static Trigger rollback(String reason, String requestedBy) {
        return new Trigger(Kind.ROLLBACK, reason, requestedBy);
    }

    /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> unknownFields() {
        return unknownFields;
    }
}
