package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Freshen needs to know of a Dockerfile, read as BuildKit's stable {@code docker/dockerfile:1} frontend reads it:
 * its stages, every image the build reads (its bases), and whether it needs BuildKit.
 *
 * <p>A <b>base</b> is an image that a stage reachable from the last stage (the build's target) reads: the image of a
 * {@code FROM}, of a {@code COPY --from=<image>} and of a {@code RUN --mount=...,from=<image>}. {@code scratch}, a stage
 * name and (for {@code COPY --from}) a stage index are not images. Images of stages the target does not need are not
 * read by BuildKit and are not bases. Rules from {@code moby/buildkit: frontend/dockerfile/instructions/parse.go}
 * ({@code parseFrom}, {@code parseBuildStageName}, {@code parseArg}, {@code parseCopy}),
 * {@code instructions/commands_runmount.go} ({@code parseMount}) and
 * {@code dockerfile2llb/convert.go} ({@code buildMetaArgs}, {@code buildDispatchStates}, {@code toCommand},
 * {@code addState}) and {@code dockerfile2llb/platform.go} ({@code defaultArgs}).
 *
 * <p><b>ARGs.</b> Only the {@code ARG}s before the first {@code FROM} (global ARGs) apply to {@code FROM}; a default
 * may use earlier ARGs; a build argument ({@code build.args}, as {@code --build-arg}) replaces the default of an ARG
 * declared there, and does nothing for a name not declared; an ARG without default and without build argument is
 * not set. BuildKit's automatic platform ARGs ({@code BUILDPLATFORM}, {@code BUILDOS}, {@code BUILDARCH},
 * {@code BUILDVARIANT}, {@code TARGETPLATFORM}, {@code TARGETOS}, {@code TARGETARCH}, {@code TARGETVARIANT},
 * {@code TARGETSTAGE}, ...) are set without declaration, for {@code linux/amd64} here. {@code COPY --from} and
 * {@code RUN --mount from=} are never expanded (BuildKit refuses a variable there).
 *
 * <p><b>Pinned references.</b> A reference with tag and digest ({@code name:tag@sha256:...}) is watched by its tag:
 * {@link #externalBases()} lists it without digest and the builder pins it again to the run's digest. A reference by
 * digest alone ({@code name@sha256:...}) is a deliberate pin: read by the build as written, never watched
 * ({@link #pinnedBases()}).
 *
 * @param froms            the stages, in order
 * @param images           every reference to an image, in order of the file (also in stages the target does not
 *                         need: see {@link Image#read()})
 * @param requiresBuildKit whether the classic builder cannot build it (a {@code syntax} directive, heredocs, a flag
 *                         of RUN, COPY or ADD that it lacks, an automatic platform ARG in a FROM)
 * @param syntax           the frontend image its {@code # syntax=} directive names (e.g. {@code docker/dockerfile:1}),
 *                         which the engine fetches to read the file; {@code null} without the directive
 */
public record Dockerfile(List<From> froms, List<Image> images, boolean requiresBuildKit, String syntax) {

    /** The platform the automatic platform ARGs describe: where Freshen builds. */
    public static final String PLATFORM = "linux/amd64";

    /**
     * One {@code FROM}: its 1-based line, the image as written and resolved, its stage name ({@code null} without
     * {@code AS}), and the image when it names one ({@code null} for {@code scratch} and an earlier stage).
     */
    public record From(int line, String written, String resolved, String stageName, ImageReference external) {

        public boolean isExternal() {
            return external != null;
        }
    }

    /** Where an image reference is written. */
    public enum Kind {
        FROM, COPY_FROM, MOUNT_FROM
    }

    /**
     * One reference to an image: the instruction's kind and 1-based line, the text as written (before ARG expansion
     * and quote removal), the reference, whether the build reads it (its stage is needed by the target), and the
     * offsets [{@code start}, {@code end}) of the written text in the file.
     */
    public record Image(Kind kind, int line, String written, ImageReference reference, boolean read, int start, int end) {

        /** What Freshen watches for this reference: the tag form, or {@code null} for a digest-only pin. */
        public ImageReference watched() {
            if (reference.isPinned() && reference.tag() == null) {
                return null;
            }
            return reference.isPinned() ? reference.withDigest(null) : reference;
        }
    }

    /** A Dockerfile that BuildKit would not read: a 1-based line (0 when none) and what is wrong. */
    public static final class InvalidDockerfileException extends IllegalArgumentException {
        private final int line;

        InvalidDockerfileException(int line, String reason) {
            super(line > 0 ? "line " + line + ": " + reason : reason);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final Set<String> INSTRUCTIONS = Set.of("add", "arg", "cmd", "copy", "entrypoint", "env", "expose",
            "from", "healthcheck", "label", "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume",
            "workdir");
    private static final Set<String> CLASSIC_COPY_FLAGS = Set.of("from", "chown");
    private static final Set<String> CLASSIC_ADD_FLAGS = Set.of("chown");

    public Dockerfile {
        froms = List.copyOf(froms);
        images = List.copyOf(images);
    }

    /**
     * The distinct bases Freshen watches, by tag (a {@code name:tag@digest} without its digest), in order of
     * appearance: what the watcher watches and the builder pins.
     */
    public List<ImageReference> externalBases() {
        Set<ImageReference> bases = new LinkedHashSet<>();
        images.stream().filter(Image::read).map(Image::watched).filter(java.util.Objects::nonNull).forEach(bases::add);
        return List.copyOf(bases);
    }

    /** The distinct bases pinned by digest alone ({@code name@sha256:...}): read as written, "pinned, not watched". */
    public List<ImageReference> pinnedBases() {
        Set<ImageReference> bases = new LinkedHashSet<>();
        images.stream().filter(Image::read).filter(i -> i.watched() == null).forEach(i -> bases.add(i.reference()));
        return List.copyOf(bases);
    }

    /**
     * The registry hosts a build of this file pulls from, in order: those of its bases (watched and pinned) and of the
     * frontend its {@code # syntax=} names; what the engine gets credentials for.
     */
    public Set<String> registries() {
        Set<String> hosts = new LinkedHashSet<>();
        images.stream().filter(Image::read).forEach(i -> hosts.add(i.reference().registry()));
        if (syntax != null) {
            try {
                hosts.add(ImageReference.parse(syntax).registry());
            } catch (IllegalArgumentException e) {
                // not an image reference: BuildKit will say so
            }
        }
        return hosts;
    }

    /**
     * The watched base of the final stage when it names an image (what {@code org.opencontainers.image.base.name}
     * names), else {@code null}.
     */
    public ImageReference finalBase() {
        From last = froms.get(froms.size() - 1);
        if (last.external() == null) {
            return null;
        }
        ImageReference ref = last.external();
        return ref.isPinned() && ref.tag() == null ? null : ref.withDigest(null);
    }

    /** Reads Dockerfile text without build arguments. */
    public static Dockerfile parse(String text) {
        return parse(text, Map.of());
    }

    /**
     * Reads Dockerfile text as {@code docker build} with these {@code --build-arg}s would.
     *
     * @param buildArgs the descriptor's {@code build.args}
     * @throws InvalidDockerfileException naming the line: what BuildKit would refuse (no FROM, a FROM with other than
     *                                    one or three words, a reference that is no image, an unknown instruction, a
     *                                    variable in {@code COPY --from}), and an ARG used in an image reference that
     *                                    has no value (no default and not in {@code build.args})
     */
    public static Dockerfile parse(String text, Map<String, String> buildArgs) {
        DockerfileSyntax.Result lexed;
        try {
            lexed = DockerfileSyntax.lex(text);
        } catch (DockerfileSyntax.SyntaxError e) {
            throw new InvalidDockerfileException(e.line, e.getMessage());
        }
        return new Reader(lexed, buildArgs).read();
    }

    /** The stage reading of one file. */
    private static final class Reader {
        private final DockerfileSyntax.Result lexed;
        private final Map<String, String> buildArgs;
        private final char escape;
        private final Map<String, String> globalArgs = new LinkedHashMap<>();
        private final Set<String> automatic = new HashSet<>();
        private final List<From> froms = new ArrayList<>();
        private final Map<String, Integer> stagesByName = new HashMap<>();
        private final List<Set<Integer>> stageDeps = new ArrayList<>();
        private final List<PendingImage> pending = new ArrayList<>();
        private final List<PendingRef> refs = new ArrayList<>();
        private boolean buildKit;

        private record PendingImage(Kind kind, int line, String written, ImageReference reference, int stage, int start,
                                    int end) {
        }

        private record PendingRef(Kind kind, int line, String value, int stage, int start, int end) {
        }

        Reader(DockerfileSyntax.Result lexed, Map<String, String> buildArgs) {
            this.lexed = lexed;
            this.buildArgs = buildArgs == null ? Map.of() : buildArgs;
            this.escape = lexed.escape();
        }

        Dockerfile read() {
            buildKit = lexed.syntax() != null;
            List<DockerfileSyntax.Instruction> instructions = lexed.instructions();
            String target = lastStageName(instructions);
            platformArgs(target);
            if (instructions.stream().noneMatch(i -> i.command().equals("from"))) {
                throw new InvalidDockerfileException(0, "no FROM instruction: a Dockerfile starts a stage with FROM <image>");
            }
            for (DockerfileSyntax.Instruction instruction : instructions) {
                String command = instruction.command();
                if (!INSTRUCTIONS.contains(command)) {
                    throw new InvalidDockerfileException(instruction.startLine(), "unknown instruction: " + instruction.keyword());
                }
                buildKit |= instruction.heredocs() > 0;
                if (froms.isEmpty() && !command.equals("from")) {
                    if (!command.equals("arg")) {
                        throw new InvalidDockerfileException(instruction.startLine(), instruction.keyword()
                                + " before the first FROM: only ARG may come before it");
                    }
                    globalArg(instruction);
                    continue;
                }
                switch (command) {
                    case "from" -> from(instruction);
                    case "copy" -> copy(instruction);
                    case "run" -> run(instruction);
                    case "add" -> buildKit |= instruction.flags().stream().anyMatch(f -> !CLASSIC_ADD_FLAGS.contains(f.name()));
                    default -> {
                        // no other instruction reads an image
                    }
                }
            }
            for (PendingRef ref : refs) {
                resolveRef(ref);
            }
            pending.sort(java.util.Comparator.comparingInt(PendingImage::start));
            Set<Integer> reachable = reachable();
            List<Image> images = pending.stream().map(p -> new Image(p.kind(), p.line(), p.written(), p.reference(),
                    reachable.contains(p.stage()), p.start(), p.end())).toList();
            return new Dockerfile(froms, images, buildKit, lexed.syntax());
        }

        private static String lastStageName(List<DockerfileSyntax.Instruction> instructions) {
            String name = "default";
            for (DockerfileSyntax.Instruction instruction : instructions) {
                if (instruction.command().equals("from")) {
                    String[] words = words(instruction.args().text());
                    name = words.length == 3 ? words[2].toLowerCase(java.util.Locale.ROOT) : "default";
                }
            }
            return name;
        }

        private void platformArgs(String target) {
            String[][] values = {
                    {"BUILDPLATFORM", PLATFORM}, {"BUILDOS", "linux"}, {"BUILDOSVERSION", ""}, {"BUILDARCH", "amd64"},
                    {"BUILDVARIANT", ""}, {"TARGETPLATFORM", PLATFORM}, {"TARGETOS", "linux"}, {"TARGETOSVERSION", ""},
                    {"TARGETARCH", "amd64"}, {"TARGETVARIANT", ""}, {"TARGETSTAGE", target}};
            for (String[] kv : values) {
                globalArgs.put(kv[0], buildArgs.getOrDefault(kv[0], kv[1]));
                automatic.add(kv[0]);
            }
        }

        private void globalArg(DockerfileSyntax.Instruction instruction) {
            List<String> words = argWords(instruction.args().text(), escape);
            if (words.isEmpty()) {
                throw new InvalidDockerfileException(instruction.startLine(), "ARG requires at least one argument");
            }
            for (String word : words) {
                int eq = word.indexOf('=');
                String name = eq < 0 ? word : word.substring(0, eq);
                if (eq == 0) {
                    throw new InvalidDockerfileException(instruction.startLine(), "ARG names can not be blank");
                }
                String value;
                if (buildArgs.containsKey(name)) {
                    value = buildArgs.get(name);
                } else if (eq >= 0) {
                    try {
                        value = ShellWords.expand(word.substring(eq + 1), escape, globalArgs::get).text();
                    } catch (IllegalArgumentException e) {
                        throw new InvalidDockerfileException(instruction.startLine(), "ARG " + name + ": " + e.getMessage());
                    }
                } else {
                    value = null;
                }
                if (value != null) {
                    globalArgs.put(name, value);
                    automatic.remove(name);
                }
            }
        }

        private void from(DockerfileSyntax.Instruction instruction) {
            int line = instruction.startLine();
            for (DockerfileSyntax.Flag flag : instruction.flags()) {
                if (!flag.name().equals("platform")) {
                    throw new InvalidDockerfileException(line, "unknown flag of FROM: --" + flag.name());
                }
                Set<String> read = new HashSet<>();
                try {
                    ShellWords.expand(flag.value(), escape, name -> {
                        read.add(name);
                        return globalArgs.get(name);
                    });
                } catch (IllegalArgumentException e) {
                    throw new InvalidDockerfileException(line, "FROM --platform: " + e.getMessage());
                }
                read.retainAll(automatic);
                buildKit |= !read.isEmpty();
            }
            DockerfileSyntax.Located args = instruction.args();
            String text = args.text();
            String[] words = words(text);
            String stageName = null;
            if (words.length == 3 && words[1].equalsIgnoreCase("as")) {
                stageName = words[2].toLowerCase(java.util.Locale.ROOT);
                if (!STAGE_NAME.matcher(stageName).matches()) {
                    throw new InvalidDockerfileException(line, "invalid name for build stage: \"" + words[2]
                            + "\", name can't start with a number or contain symbols");
                }
            } else if (words.length != 1) {
                throw new InvalidDockerfileException(line, "FROM requires either one or three arguments (FROM <image> [AS <name>]), "
                        + "not 'FROM " + text + "'");
            }
            String written = words[0];
            Set<String> read = new HashSet<>();
            ShellWords.Result expanded;
            try {
                expanded = ShellWords.expand(written, escape, name -> {
                    read.add(name);
                    return globalArgs.get(name);
                });
            } catch (IllegalArgumentException e) {
                throw new InvalidDockerfileException(line, "FROM " + written + ": " + e.getMessage());
            }
            read.retainAll(automatic);
            buildKit |= !read.isEmpty();
            String resolved = expanded.text();
            int stage = froms.size();
            stageDeps.add(new LinkedHashSet<>());
            ImageReference external = null;
            Integer baseStage = stagesByName.get(resolved);
            if (baseStage != null) {
                stageDeps.get(stage).add(baseStage);
            } else if (!resolved.equals("scratch")) {
                unset(line, "FROM", written, expanded);
                if (resolved.isEmpty()) {
                    throw new InvalidDockerfileException(line, "the image of FROM " + written + " is empty");
                }
                external = image(line, "FROM", resolved);
                int at = text.indexOf(written);
                int[] span = args.span(at, at + written.length());
                pending.add(new PendingImage(Kind.FROM, line, written, external, stage, span[0], span[1]));
            }
            froms.add(new From(line, written, resolved, stageName, external));
            if (stageName != null) {
                stagesByName.put(stageName, stage);
            }
        }

        private void copy(DockerfileSyntax.Instruction instruction) {
            for (DockerfileSyntax.Flag flag : instruction.flags()) {
                buildKit |= !CLASSIC_COPY_FLAGS.contains(flag.name());
                if (flag.name().equals("from") && !flag.value().isEmpty()) {
                    String value = flag.value();
                    String expanded;
                    try {
                        expanded = ShellWords.expand(value, escape, n -> null).text();
                    } catch (IllegalArgumentException e) {
                        expanded = null;
                    }
                    if (!value.equals(expanded)) {
                        throw new InvalidDockerfileException(instruction.startLine(), "COPY --from=" + value + ": variable "
                                + "expansion is not supported for --from; define a stage with FROM using a global ARG instead");
                    }
                    int[] span = flag.valueSpan(0, value.length());
                    refs.add(new PendingRef(Kind.COPY_FROM, instruction.startLine(), value, froms.size() - 1, span[0], span[1]));
                }
            }
        }

        private void run(DockerfileSyntax.Instruction instruction) {
            for (DockerfileSyntax.Flag flag : instruction.flags()) {
                buildKit = true;
                if (!flag.name().equals("mount")) {
                    continue;
                }
                for (int[] field : csvFields(flag.value(), instruction.startLine())) {
                    String text = flag.value().substring(field[0], field[1]);
                    int eq = text.indexOf('=');
                    if (eq < 0 || !text.substring(0, eq).toLowerCase(java.util.Locale.ROOT).equals("from")) {
                        continue;
                    }
                    String value = text.substring(eq + 1);
                    int dollar = value.indexOf('$');
                    if (dollar != -1 && dollar != value.length() - 1) {
                        throw new InvalidDockerfileException(instruction.startLine(), "RUN --mount from=" + value
                                + ": 'from' doesn't support variable expansion; define a stage with FROM instead");
                    }
                    if (value.isEmpty()) {
                        continue;
                    }
                    int valueStart = field[0] + eq + 1;
                    int[] span = flag.valueSpan(valueStart, valueStart + value.length());
                    refs.add(new PendingRef(Kind.MOUNT_FROM, instruction.startLine(), value, froms.size() - 1, span[0], span[1]));
                }
            }
        }

        private void resolveRef(PendingRef ref) {
            String keyword = ref.kind() == Kind.COPY_FROM ? "COPY --from" : "RUN --mount from";
            if (ref.kind() == Kind.COPY_FROM) {
                Integer index = index(ref.value());
                if (index != null) {
                    if (index < 0 || index >= froms.size()) {
                        throw new InvalidDockerfileException(ref.line(), keyword + "=" + ref.value() + ": invalid stage index "
                                + index + " (the file has " + froms.size() + " stages)");
                    }
                    stageDeps.get(ref.stage()).add(index);
                    return;
                }
            }
            Integer stage = stagesByName.get(ref.value().toLowerCase(java.util.Locale.ROOT));
            if (stage != null) {
                stageDeps.get(ref.stage()).add(stage);
                return;
            }
            if (ref.value().equals("scratch")) {
                return;
            }
            ImageReference image = image(ref.line(), keyword, ref.value());
            pending.add(new PendingImage(ref.kind(), ref.line(), ref.value(), image, ref.stage(), ref.start(), ref.end()));
        }

        private static Integer index(String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** The stages the target (the last stage) needs, itself included. */
        private Set<Integer> reachable() {
            Set<Integer> seen = new HashSet<>();
            Deque<Integer> todo = new ArrayDeque<>(List.of(froms.size() - 1));
            while (!todo.isEmpty()) {
                int stage = todo.pop();
                if (seen.add(stage)) {
                    todo.addAll(stageDeps.get(stage));
                }
            }
            return seen;
        }

        private void unset(int line, String keyword, String written, ShellWords.Result expanded) {
            if (!expanded.unset().isEmpty()) {
                String name = expanded.unset().iterator().next();
                throw new InvalidDockerfileException(line, keyword + " " + written + " uses ARG " + name
                        + ", which has no value: declare it before the first FROM with a default (ARG " + name
                        + "=<value>) or set it in build.args");
            }
        }

        private static ImageReference image(int line, String keyword, String resolved) {
            try {
                return ImageReference.parse(resolved);
            } catch (IllegalArgumentException e) {
                throw new InvalidDockerfileException(line, keyword + " " + resolved + ": " + e.getMessage());
            }
        }

        /** BuildKit's {@code parseStringsWhitespaceDelimited}. */
        private static String[] words(String text) {
            return text.isEmpty() ? new String[0] : text.split("[\\t\\x0B\\f\\r ]+");
        }

        /** BuildKit's {@code parseWords} (ARG): blanks split words, quotes and escapes are kept for the expansion. */
        static List<String> argWords(String rest, char escape) {
            final int spaces = 0;
            final int word = 1;
            final int quoted = 2;
            List<String> words = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            int phase = spaces;
            boolean blankOk = false;
            char quote = 0;
            for (int pos = 0; pos < rest.length(); pos++) {
                char ch = rest.charAt(pos);
                if (phase == spaces) {
                    if (DockerfileSyntax.isSpace(ch)) {
                        continue;
                    }
                    phase = word;
                }
                if (phase == word) {
                    if (DockerfileSyntax.isSpace(ch)) {
                        phase = spaces;
                        if (blankOk || !current.isEmpty()) {
                            words.add(current.toString());
                        }
                        current.setLength(0);
                        blankOk = false;
                        continue;
                    }
                    if (ch == '\'' || ch == '"') {
                        quote = ch;
                        blankOk = true;
                        phase = quoted;
                    }
                    if (ch == escape) {
                        if (pos + 1 == rest.length()) {
                            continue;
                        }
                        current.append(ch);
                        ch = rest.charAt(++pos);
                    }
                    current.append(ch);
                    continue;
                }
                if (ch == quote) {
                    phase = word;
                }
                if (ch == escape && quote != '\'') {
                    if (pos + 1 == rest.length()) {
                        phase = word;
                        continue;
                    }
                    current.append(ch);
                    ch = rest.charAt(++pos);
                }
                current.append(ch);
            }
            if (phase != spaces && (blankOk || !current.isEmpty())) {
                words.add(current.toString());
            }
            return words;
        }

        /**
         * The fields of a mount's CSV value as {@code {start, end}} in the value (for a quoted field, the text between
         * the quotes; a doubled {@code ""} in it is kept, as no image reference holds one).
         */
        private static List<int[]> csvFields(String value, int line) {
            List<int[]> fields = new ArrayList<>();
            int pos = 0;
            while (pos <= value.length()) {
                if (pos < value.length() && value.charAt(pos) == '"') {
                    int close = pos + 1;
                    while (true) {
                        close = value.indexOf('"', close);
                        if (close < 0) {
                            throw new InvalidDockerfileException(line, "RUN --mount=" + value + ": failed to parse csv mounts");
                        }
                        if (close + 1 < value.length() && value.charAt(close + 1) == '"') {
                            close += 2;
                            continue;
                        }
                        break;
                    }
                    fields.add(new int[]{pos + 1, close});
                    pos = close + 2;
                    continue;
                }
                int comma = value.indexOf(',', pos);
                int end = comma < 0 ? value.length() : comma;
                fields.add(new int[]{pos, end});
                pos = end + 1;
            }
            return fields;
        }
    }
}
