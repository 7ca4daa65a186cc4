package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.List;
import java.util.Map;

/**
 * A stage of a pipeline run; on the wire its id in lower case ({@code "build"}).
 *
 * <p>An open set of values, not a Java enum: a newer version may add a stage (for example {@code scan}), and a
 * reader that does not know it reads it as an <em>other</em> stage ({@link #isOther()}) that keeps its id, so a
 * {@code PipelineFailed} or a {@link StageTiming} from a newer writer is neither rejected nor changed when written
 * out again. Code that branches on a stage must have a branch for other stages.
 *
 * <p>Stages have no order in code: {@link #knownValues()} lists the known ones in run order for display, but an
 * other stage has no place in that list, and the order of a run's {@code timings} is the order they ran in. (No code
 * compared stages by position when this was an enum.)
 *
 * <p>{@link #of(String)} returns the constant for a well-known id and the constructor is private, so
 * {@code stage == Stage.TEST} is as correct as {@code equals}; two stages are equal when their ids are.
 */
public final class Stage extends OpenValue {

    public static final Stage DETECT = new Stage("detect", true);
    public static final Stage BUILD = new Stage("build", true);
    public static final Stage TEST = new Stage("test", true);
    public static final Stage PUBLISH = new Stage("publish", true);
    public static final Stage NOTIFY = new Stage("notify", true);

    private static final List<Stage> KNOWN = List.of(DETECT, BUILD, TEST, PUBLISH, NOTIFY);
    private static final Map<String, Stage> BY_ID = WireIds.index(KNOWN, Stage::id);

    private Stage(String id, boolean known) {
        super(id, known);
    }

    /**
     * The stage with wire id {@code id}: the constant for a well-known id, else an other stage carrying {@code id}.
     *
     * @throws IllegalArgumentException when {@code id} is empty or not shaped like an id (lowercase words joined by
     *                                  {@code -}, at most 64 characters)
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Stage of(String id) {
        Stage stage = BY_ID.get(id);
        return stage != null ? stage : new Stage(WireIds.check(id, "stage"), false);
    }

    /** The stages this version knows, in run order. */
    public static List<Stage> knownValues() {
        return KNOWN;
    }
}
