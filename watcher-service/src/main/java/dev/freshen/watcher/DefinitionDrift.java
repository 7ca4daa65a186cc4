package dev.freshen.watcher;

import dev.freshen.descriptor.definition.Definition;
import dev.freshen.events.Trigger;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a platform image's definition on disk (Dockerfile, build context, build settings: {@link Definition}) is the
 * one its newest published version was built from ({@code dev.freshen.definition} label), and which files differ
 * (against its {@code dev.freshen.definition-files} label).
 *
 * <p>{@link State#UNKNOWN} when nothing is published or the published version has no definition label (published
 * before this version of Freshen): no run comes of it by itself, so an upgrade rebuilds nothing; the next run labels
 * the image.
 */
public final class DefinitionDrift {

    /** Files named in {@link #why()}; the trigger and the API list up to {@link Trigger.DefinitionChange#MAX_FILES}. */
    static final int FILES_IN_WHY = 10;

    /** How the definition on disk compares with the published one; on the wire its lowercase name. */
    public enum State {
        /** The published version was built from this definition. */
        SAME,
        /** The published version was built from another definition. */
        CHANGED,
        /** Nothing is published, or the published version does not say what it was built from. */
        UNKNOWN;

        /** {@code same}, {@code changed}, {@code unknown}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Definition current;
    private final String published;
    private final State state;
    private final List<Trigger.FileChange> changes;
    private final int moreFiles;
    /** Whether the published version lists its files ({@code dev.freshen.definition-files}). */
    private final boolean listed;

    private DefinitionDrift(Definition current, String published, State state, List<Trigger.FileChange> changes,
                            int moreFiles, boolean listed) {
        this.current = current;
        this.published = published;
        this.state = state;
        this.changes = changes;
        this.moreFiles = moreFiles;
        this.listed = listed;
    }

    /**
     * @param current   the image's definition as loaded from disk
     * @param published the newest published version, with its definition labels (empty: nothing published)
     */
    public static DefinitionDrift of(Definition current, Optional<BuiltFrom> published) {
        String before = published.map(BuiltFrom::definition).orElse(null);
        if (before == null) {
            return new DefinitionDrift(current, null, State.UNKNOWN, List.of(), 0, false);
        }
        if (before.equals(current.hash())) {
            return new DefinitionDrift(current, before, State.SAME, List.of(), 0, true);
        }
        boolean listed = !published.get().definitionFiles().isEmpty();
        List<Trigger.FileChange> all = listed ? current.changesSince(published.get().definitionFiles()) : List.of();
        int shown = Math.min(all.size(), Trigger.DefinitionChange.MAX_FILES);
        return new DefinitionDrift(current, before, State.CHANGED, List.copyOf(all.subList(0, shown)), all.size() - shown,
                listed);
    }

    /** Same, changed or unknown (see {@link State}). */
    public State state() {
        return state;
    }

    /**
     * With {@link State#CHANGED}: the files that differ, in path order, at most
     * {@link Trigger.DefinitionChange#MAX_FILES}; empty when the published version does not list its files (its list
     * was over the label's size limit) or in any other state.
     */
    public List<Trigger.FileChange> changes() {
        return changes;
    }

    /** The files that differ beyond {@link #changes()}. */
    public int moreFiles() {
        return moreFiles;
    }

    /**
     * For people: {@code definition changed: Dockerfile, app/run.sh} (at most {@value #FILES_IN_WHY} files, then
     * {@code and N more}); {@code definition changed (the published image does not list its files)}; {@code
     * definition changed (no file differs: …)} when the published version was hashed by other rules (another Freshen
     * version); for the other states {@code definition unchanged} or {@code definition of the published image
     * unknown}.
     */
    public String why() {
        return switch (state) {
            case SAME -> "definition unchanged";
            case UNKNOWN -> "definition of the published image unknown";
            case CHANGED -> {
                if (!listed) {
                    yield "definition changed (the published image does not list its files)";
                }
                if (changes.isEmpty()) {
                    yield "definition changed (no file differs: the published image was labelled by another version of"
                            + " Freshen)";
                }
                int more = changes.size() - Math.min(changes.size(), FILES_IN_WHY) + moreFiles;
                yield "definition changed: " + changes.stream().limit(FILES_IN_WHY).map(Trigger.FileChange::path)
                        .collect(Collectors.joining(", ")) + (more > 0 ? " and " + more + " more" : "");
            }
        };
    }

    /**
     * What the trigger of a run building this definition says changed (without commits: {@code GitHistory} adds them
     * when a run starts).
     *
     * @throws IllegalStateException unless {@link State#CHANGED}
     */
    public Trigger.DefinitionChange toChange() {
        if (state != State.CHANGED) {
            throw new IllegalStateException("the definition did not change (" + state.id() + ")");
        }
        return new Trigger.DefinitionChange(current.hash(), published, changes, moreFiles, List.of(), 0);
    }

    /** This drift as the check's answer shows it ({@link CheckOutcome#definition()}). */
    public CheckOutcome.DefinitionView view() {
        return new CheckOutcome.DefinitionView(current.hash(), published, state.id(),
                changes.stream().map(CheckOutcome.FileView::of).toList(), moreFiles);
    }
}
