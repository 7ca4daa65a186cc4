package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.image.ImageReference;

import java.util.List;
import java.util.Map;

/**
 * Why a run happened: an upstream base changed, the image's definition changed, a parent platform image published,
 * somebody forced it (with a reason and who asked), or a reason a newer version added. Every stage copies the run's
 * trigger into the event it writes, so the trigger, fields this version does not know included
 * ({@link #unknownFields()}, see the package description), reaches the notifier as the first stage wrote it.
 *
 * <p>{@code parent}: for {@link Kind#PARENT_PUBLISHED}, which parent published what. {@code definition}: whenever the
 * run builds a definition other than the published image's ({@code dev.freshen.definition} label), what changed;
 * {@code null} otherwise. {@code dependents}: the watched images built FROM this one, directly or not, in the order
 * they rebuild (parents first): the images a failure of this run holds back; empty when none.
 */
public record Trigger(Kind kind, String reason, String requestedBy, Parent parent, DefinitionChange definition,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> dependents,
                      @JsonAnySetter Map<String, JsonNode> unknownFields) {

    /**
     * The kind of trigger; on the wire its id ({@code "forced"}). An open set of values like {@link FailureKind}: a
     * newer writer may add kinds, which this version reads as an other kind ({@link #isOther()}) that keeps its id. A
     * well-known kind is always its constant instance, so {@code kind == Trigger.Kind.FORCED} is as correct as
     * {@code equals}.
     */
    public static final class Kind extends OpenValue {

        public static final Kind BASE_IMAGE_UPDATED = new Kind("base-image-updated", true);
        public static final Kind FORCED = new Kind("forced", true);
        /** Not a run: the trigger of a failed rollback's {@code PipelineFailed} (reason and who asked). */
        public static final Kind ROLLBACK = new Kind("rollback", true);
        /** The image's definition (Dockerfile, build context, build settings) differs from the published image's. */
        public static final Kind DEFINITION_CHANGED = new Kind("definition-changed", true);
        /** A watched platform image this one is built FROM published a new version ({@link Trigger#parent()}). */
        public static final Kind PARENT_PUBLISHED = new Kind("parent-published", true);

        private static final List<Kind> KNOWN = List.of(BASE_IMAGE_UPDATED, FORCED, ROLLBACK, DEFINITION_CHANGED,
                PARENT_PUBLISHED);
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

    /**
     * The parent platform image whose publish started this run: its image id ({@code base/runtime}), the version it
     * published ({@code 10.0-1.3.0}), its run ({@code null} when the watcher no longer knows it) and the reference the
     * child is pinned to, as its FROM names it with the published digest ({@code registry/repo:tag@sha256:…}).
     */
    public record Parent(String imageId, String version, String runId, ImageReference image,
                         @JsonAnySetter Map<String, JsonNode> unknownFields) {

        public Parent {
            Require.present(imageId, "Trigger.Parent", "imageId");
            unknownFields = UnknownFields.copyOf(unknownFields);
        }

        public Parent(String imageId, String version, String runId, ImageReference image) {
            this(imageId, version, runId, image, Map.of());
        }

        /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
        @JsonAnyGetter
        @Override
        public Map<String, JsonNode> unknownFields() {
            return unknownFields;
        }
    }

    /**
     * What differs between the definition this run builds ({@code hash}, {@code sha256:…}) and the published image's
     * ({@code previousHash}; {@code null} when the published image has no {@code dev.freshen.definition} label or
     * none was published): at most {@link #MAX_FILES} files and {@code moreFiles} not listed, and, when the image's
     * folder is in git, at most {@link #MAX_COMMITS} commits touching it since the published revision (newest first)
     * and {@code moreCommits} not listed.
     */
    public record DefinitionChange(String hash, String previousHash, List<FileChange> files, int moreFiles,
                                   List<Commit> commits, int moreCommits,
                                   @JsonAnySetter Map<String, JsonNode> unknownFields) {

        public static final int MAX_FILES = 50;
        public static final int MAX_COMMITS = 20;

        public DefinitionChange {
            Require.present(hash, "Trigger.DefinitionChange", "hash");
            files = files == null ? List.of() : List.copyOf(files);
            commits = commits == null ? List.of() : List.copyOf(commits);
            unknownFields = UnknownFields.copyOf(unknownFields);
        }

        public DefinitionChange(String hash, String previousHash, List<FileChange> files, int moreFiles,
                                List<Commit> commits, int moreCommits) {
            this(hash, previousHash, files, moreFiles, commits, moreCommits, Map.of());
        }

        /** This change with the commits that touched the image's folder. */
        public DefinitionChange withCommits(List<Commit> commits, int moreCommits) {
            return new DefinitionChange(hash, previousHash, files, moreFiles, commits, moreCommits, unknownFields);
        }

        /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
        @JsonAnyGetter
        @Override
        public Map<String, JsonNode> unknownFields() {
            return unknownFields;
        }
    }

    /**
     * One file of a definition that changed: its path relative to the image's folder ({@code Dockerfile},
     * {@code app/run.sh}, {@code platform-image.yaml} for the build settings) and how: {@code added},
     * {@code removed}, {@code modified} (content) or {@code mode} (only the executable bit). The change is an id
     * (lowercase words), so a newer writer may add others.
     */
    public record FileChange(String path, String change, @JsonAnySetter Map<String, JsonNode> unknownFields) {

        public static final String ADDED = "added";
        public static final String REMOVED = "removed";
        public static final String MODIFIED = "modified";
        public static final String MODE = "mode";

        public FileChange {
            Require.present(path, "Trigger.FileChange", "path");
            WireIds.check(change, "file change");
            unknownFields = UnknownFields.copyOf(unknownFields);
        }

        public FileChange(String path, String change) {
            this(path, change, Map.of());
        }

        /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
        @JsonAnyGetter
        @Override
        public Map<String, JsonNode> unknownFields() {
            return unknownFields;
        }
    }

    /** A git commit that touched the image's folder: full sha, author name, subject (at most 120 characters). */
    public record Commit(String sha, String author, String subject, @JsonAnySetter Map<String, JsonNode> unknownFields) {

        public static final int MAX_SUBJECT = 120;

        public Commit {
            Require.present(sha, "Trigger.Commit", "sha");
            if (subject != null && subject.length() > MAX_SUBJECT) {
                subject = subject.substring(0, MAX_SUBJECT - 1) + "…";
            }
            unknownFields = UnknownFields.copyOf(unknownFields);
        }

        public Commit(String sha, String author, String subject) {
            this(sha, author, subject, Map.of());
        }

        /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
        @JsonAnyGetter
        @Override
        public Map<String, JsonNode> unknownFields() {
            return unknownFields;
        }
    }

    public Trigger {
        Require.present(kind, "Trigger", "kind");
        dependents = dependents == null ? List.of() : List.copyOf(dependents);
        unknownFields = UnknownFields.copyOf(unknownFields);
    }

    /** A trigger with only the fields this version knows. */
    public Trigger(Kind kind, String reason, String requestedBy) {
        this(kind, reason, requestedBy, null, null, null, Map.of());
    }

    /** A trigger without parent, definition change or dependents, carrying {@code unknownFields}. */
    public Trigger(Kind kind, String reason, String requestedBy, Map<String, JsonNode> unknownFields) {
        this(kind, reason, requestedBy, null, null, null, unknownFields);
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

    /** A run started because {@code parent} published. */
    public static Trigger parentPublished(Parent parent) {
        Require.present(parent, "Trigger", "parent");
        return new Trigger(Kind.PARENT_PUBLISHED, null, null, parent, null, null, Map.of());
    }

    /** A run started because the image's definition changed. */
    public static Trigger definitionChanged(DefinitionChange change) {
        Require.present(change, "Trigger", "definition");
        return new Trigger(Kind.DEFINITION_CHANGED, null, null, null, change, null, Map.of());
    }

    /** This trigger saying what changed in the definition ({@code null}: nothing). */
    public Trigger withDefinition(DefinitionChange change) {
        return new Trigger(kind, reason, requestedBy, parent, change, dependents, unknownFields);
    }

    /** This trigger naming the images built FROM this one, parents first ({@code null} or empty: none). */
    public Trigger withDependents(List<String> imageIds) {
        return new Trigger(kind, reason, requestedBy, parent, definition, imageIds, unknownFields);
    }

    /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> unknownFields() {
        return unknownFields;
    }
}
