package dev.freshen.notifier;

import dev.freshen.events.BaseImage;
import dev.freshen.events.BasePlatform;
import dev.freshen.events.Durations;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.Platform;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The wording every notification shares, so that Teams, Slack and their tests agree: titles, triggers, what changed
 * in a definition, held-back images, durations, digest changes, the Dockerfile line, the retry command, and trimming
 * to a size limit. Free text from the events (reasons, hints, log excerpts, who asked, paths, commit subjects and
 * authors) goes through {@link #plain} first: every channel shows it without terminal escape codes or control
 * characters.
 */
public final class OutcomeText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /**
     * Terminal escape sequences: CSI ({@code ESC [ … final}, colours and cursor moves, also its 8-bit form), OSC
     * ({@code ESC ] … BEL|ST}, titles and hyperlinks), DCS/SOS/PM/APC strings up to ST, and the other two- and
     * three-byte {@code ESC} sequences (ECMA-48, the terminals' common ground).
     */
    private static final Pattern ESCAPES = Pattern.compile(
            "(?:\u001B\\[|\u009B)[0-?]*[ -/]*[@-~]"
                    + "|(?:\u001B\\]|\u009D)[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\\\|\u009C)?"
                    + "|(?:\u001B[PX^_]|[\u0090\u0098\u009E\u009F])[^\u001B\u009C]*(?:\u001B\\\\|\u009C)?"
                    + "|\u001B[ -/]*[0-~]?");
    /** Control characters other than line feed and tab, and the Unicode controls that reorder text on display. */
    private static final Pattern CONTROLS = Pattern.compile(
            "[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]");

    /** Files, commits and held-back images a card names; the rest is counted. */
    static final int LISTED_FILES = 10;
    static final int LISTED_COMMITS = 5;
    static final int LISTED_DEPENDENTS = 10;
    /** Characters of a commit's sha shown, as {@code git log --oneline} shows it. */
    private static final int SHORT_SHA = 7;
    /** The path of the build-settings entry of a definition ({@code platform-image.yaml} at the image's root). */
    private static final String SETTINGS = "platform-image.yaml";

    private OutcomeText() {
    }

    /**
     * {@code text} as a card may show it: terminal escape sequences removed, each line as a terminal would leave it
     * after carriage returns (progress bars: the last thing written), tabs as four spaces, other control characters
     * removed; line feeds kept. {@code null} stays {@code null}.
     */
    public static String plain(String text) {
        if (text == null) {
            return null;
        }
        String stripped = ESCAPES.matcher(text).replaceAll("").replace("\r\n", "\n");
        if (stripped.indexOf('\r') >= 0) {
            stripped = Arrays.stream(stripped.split("\n", -1)).map(OutcomeText::lastWritten)
                    .collect(Collectors.joining("\n"));
        }
        return CONTROLS.matcher(stripped.replace("\t", "    ")).replaceAll("");
    }

    /** What a terminal shows of a line with carriage returns: the last non-empty part written. */
    private static String lastWritten(String line) {
        String[] parts = line.split("\r");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty()) {
                return parts[i];
            }
        }
        return "";
    }

    /**
     * "Published net10/runtime 10.0-1.1.0": the image and its full version tag; for a multi-platform image followed by
     * its platforms, "Published net10/runtime 10.0-1.1.0 for linux/amd64, linux/arm64" ({@link #platforms}).
     */
    public static String publishedTitle(ImagePublished event) {
        String platforms = platforms(event);
        return "Published " + event.imageId() + " " + version(event) + (platforms == null ? "" : " " + platforms);
    }

    /**
     * "for linux/amd64, linux/arm64": the platforms of a multi-platform image, in the order of its image index; null for
     * an image of one platform (a plain image manifest).
     */
    public static String platforms(ImagePublished event) {
        return event.manifests().isEmpty() ? null : "for " + event.manifests().stream()
                .map(m -> m.platform().toString()).collect(Collectors.joining(", "));
    }

    /** The full version tag, {@code 10.0-1.1.0} (the event's {@code version} is only {@code 1.1.0}). */
    public static String version(ImagePublished event) {
        return event.image().tag();
    }

    /** The version tag this one replaces as the newest; "none (first version)" for 1.0.0; null when not known. */
    public static String replaces(ImagePublished event) {
        if (event.replaces() != null) {
            return event.replaces();
        }
        return firstVersion(event) ? "none (first version)" : null;
    }

    /**
     * What the registry's scan found in the published image: "2 high, 1 medium", "no findings", "not scanned: …",
     * "scan timed out: …"; null when there was no scan (not an ECR registry).
     */
    public static String scanFindings(ImagePublished event) {
        return event.scan() == null ? null : event.scan().countsText();
    }

    /**
     * The vulnerabilities this version fixes and introduces against the one it follows: "fixes 4 CVEs: 1 critical,
     * 3 high; introduces 0 (against 10.0-noble-1.4.0)"; null when there is no delta.
     */
    public static String scanDelta(ImagePublished event) {
        return event.scan() == null || !event.scan().hasDelta() ? null
                : event.scan().deltaText() + " (against " + event.scan().comparedWith() + ")";
    }

    public static String failedTitle(PipelineFailed event) {
        if (isRollback(event)) {
            return event.imageId() + ": rollback failed";
        }
        return event.imageId() + ": run failed at " + event.stage().id();
    }

    /**
     * "base image update", "definition changed" (what changed is shown apart: {@link #changes}), "base/runtime
     * published 10.0-1.3.0 (run b-…)" (a parent platform image; the run when the watcher knew it), or "forced by
     * api:ci-pipeline" / "forced by cli:alice" (the reason is shown apart: it is free text); a kind this version does
     * not know (written by a newer one) in plain words from its id: "base rebuilt".
     */
    public static String trigger(Trigger trigger) {
        if (trigger == null) {
            return "unknown";
        }
        Trigger.Kind kind = trigger.kind();
        if (kind.equals(Trigger.Kind.BASE_IMAGE_UPDATED)) {
            return "base image update";
        }
        if (kind.equals(Trigger.Kind.DEFINITION_CHANGED)) {
            return "definition changed";
        }
        if (kind.equals(Trigger.Kind.PARENT_PUBLISHED) && trigger.parent() != null) {
            Trigger.Parent parent = trigger.parent();
            String version = parent.version() != null ? parent.version()
                    : parent.image() != null ? parent.image().tag() : null;
            return plain(parent.imageId()).strip() + " published" + (version == null ? "" : " " + plain(version).strip())
                    + (parent.runId() == null ? "" : " (run " + plain(parent.runId()).strip() + ")");
        }
        if (kind.equals(Trigger.Kind.FORCED) || kind.equals(Trigger.Kind.ROLLBACK)) {
            String what = kind.equals(Trigger.Kind.FORCED) ? "forced" : "rollback";
            return trigger.requestedBy() == null || trigger.requestedBy().isBlank() ? what
                    : what + " by " + plain(trigger.requestedBy()).strip();
        }
        return kind.id().replace('-', ' ');
    }

    /**
     * What started the run that published {@code event}: as {@link #trigger(Trigger)}, except that a base-image check
     * that published an image's first version (nothing replaced) says "first version (a new image)".
     */
    public static String trigger(ImagePublished event) {
        Trigger trigger = event.trigger();
        if (trigger != null && trigger.kind().equals(Trigger.Kind.BASE_IMAGE_UPDATED) && event.replaces() == null) {
            return "first version (a new image)";
        }
        return trigger(trigger);
    }

    /**
     * What changed in the image's definition ({@code trigger.definition}), one line per file, at most
     * {@value #LISTED_FILES}: "Dockerfile (modified)", "app/run.sh (executable bit)", "platform-image.yaml build
     * settings (modified)", then "… and 42 more files" for those not listed (by this text or by the watcher). When the
     * published image did not list its files: one line saying so. Empty when the definition did not change (no
     * {@code definition}).
     */
    public static List<String> changes(Trigger trigger) {
        Trigger.DefinitionChange change = trigger == null ? null : trigger.definition();
        if (change == null) {
            return List.of();
        }
        if (change.files().isEmpty() && change.moreFiles() == 0) {
            return List.of(change.previousHash() == null
                    ? "nothing to compare with: the published image carries no definition label"
                    : "which files changed is not known: the published image does not list its files (too many)");
        }
        List<String> lines = new ArrayList<>();
        for (Trigger.FileChange file : change.files().subList(0, Math.min(LISTED_FILES, change.files().size()))) {
            lines.add(file(file));
        }
        int more = change.files().size() - lines.size() + Math.max(0, change.moreFiles());
        if (more > 0) {
            lines.add("… and " + more + (more == 1 ? " more file" : " more files"));
        }
        return lines;
    }

    private static String file(Trigger.FileChange file) {
        String path = plain(file.path());
        String what = switch (file.change()) {
            case Trigger.FileChange.MODE -> "executable bit";
            case Trigger.FileChange.ADDED, Trigger.FileChange.REMOVED, Trigger.FileChange.MODIFIED -> file.change();
            default -> file.change().replace('-', ' ');
        };
        return path + (path.equals(SETTINGS) ? " build settings (" : " (") + what + ")";
    }

    /**
     * The git commits that touched the image's folder since the published revision ({@code trigger.definition}),
     * newest first, at most {@value #LISTED_COMMITS}: "abc1234 Pin curl (alice)", then "… and 3 more commits". Empty
     * when none are known (no definition change, or the folder is not in git).
     */
    public static List<String> commits(Trigger trigger) {
        Trigger.DefinitionChange change = trigger == null ? null : trigger.definition();
        if (change == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (Trigger.Commit commit : change.commits().subList(0, Math.min(LISTED_COMMITS, change.commits().size()))) {
            String subject = commit.subject() == null ? "" : " " + plain(commit.subject()).strip();
            String author = commit.author() == null || commit.author().isBlank() ? ""
                    : " (" + plain(commit.author()).strip() + ")";
            String sha = plain(commit.sha()).strip();
            lines.add(sha.substring(0, Math.min(SHORT_SHA, sha.length())) + subject + author);
        }
        int more = change.commits().size() - lines.size() + Math.max(0, change.moreCommits());
        if (more > 0) {
            lines.add("… and " + more + (more == 1 ? " more commit" : " more commits"));
        }
        return lines;
    }

    /**
     * The watched images a failed run holds back ({@code trigger.dependents}: built FROM this image, directly or not,
     * parents first): "base/aspnet, team/app wait for this image's next publish", at most {@value #LISTED_DEPENDENTS}
     * named ("… and 4 more wait …"); null when there are none, and for a failed rollback (it holds nothing back).
     */
    public static String heldBack(PipelineFailed event) {
        if (isRollback(event) || event.trigger() == null || event.trigger().dependents().isEmpty()) {
            return null;
        }
        List<String> ids = event.trigger().dependents().stream().map(id -> plain(id).strip()).toList();
        List<String> named = ids.subList(0, Math.min(LISTED_DEPENDENTS, ids.size()));
        String who = String.join(", ", named) + (ids.size() > named.size() ? " and " + (ids.size() - named.size())
                + " more" : "");
        return who + (ids.size() == 1 ? " waits" : " wait") + " for this image's next publish";
    }

    /** The reason given for a forced run, or null. */
    public static String forcedReason(Trigger trigger) {
        return trigger == null || trigger.kind() != Trigger.Kind.FORCED || trigger.reason() == null
                || trigger.reason().isBlank() ? null : plain(trigger.reason());
    }

    /** What went wrong, as the stage said it ({@link #plain}). */
    public static String reason(PipelineFailed event) {
        return plain(event.reason());
    }

    /** What to do about it, or null when the stage gave no hint ({@link #plain}). */
    public static String hint(PipelineFailed event) {
        return event.hint() == null || event.hint().isBlank() ? null : plain(event.hint());
    }

    /** What the failure kind means for a retry; a kind this version does not know: "failed (timed-out)". */
    public static String failureKind(FailureKind kind) {
        if (kind.equals(FailureKind.PERMANENT)) {
            return "permanent: fix the cause, then retry";
        }
        if (kind.equals(FailureKind.TRANSIENT_EXHAUSTED)) {
            return "transient, retries exhausted: retrying unchanged may succeed";
        }
        if (kind.equals(FailureKind.INTERNAL)) {
            return "internal error: the stage's input is in its dead-letter topic, replay it once fixed (freshen dlq replay)";
        }
        if (kind.equals(FailureKind.TIMED_OUT)) {
            return "timed out: no answer from the stage within its time budget; a late answer will supersede this";
        }
        return "failed (" + kind.id() + ")";
    }

    /**
     * The digest the image was built from, and how it relates to the one the previous version was built from:
     * {@code sha256:old → sha256:new}, {@code sha256:… (unchanged)} (a forced run on the same base),
     * {@code sha256:… (first version)}, or {@code sha256:… (previous not known)} where nobody knows it; followed by
     * {@code ; the Dockerfile was pinned to sha256:…} when its reference carried another digest ({@code name:tag@digest},
     * which the run pinned again to the tag's digest). When the base names the platform its digests are the image
     * manifests of (a tag naming an image index), the text starts with it: {@code linux/amd64: sha256:old → sha256:new}.
     */
    public static String baseDigest(BaseImage base, ImagePublished event) {
        String text = digestChange(base.platform(), base.digest(), base.previousDigest(), event);
        Digest written = base.pinnedInDockerfile();
        return written == null || written.equals(base.digest()) ? text
                : text + "; the Dockerfile was pinned to " + written;
    }

    /**
     * {@link #baseDigest} as lines: one line; for a base of a multi-platform image ({@link BaseImage#platforms()}) one
     * line per platform, in the image's platform order, each as {@code linux/arm64: sha256:old → sha256:new}, so the
     * card shows which platform moved ({@code (unchanged)} for the others); the note on the Dockerfile's pinned digest
     * follows the first line.
     */
    public static List<String> baseDigests(BaseImage base, ImagePublished event) {
        if (base.platforms().isEmpty()) {
            return List.of(baseDigest(base, event));
        }
        List<String> lines = new ArrayList<>();
        for (BasePlatform platform : base.platforms()) {
            lines.add(digestChange(platform.platform(), platform.digest(), platform.previousDigest(), event));
        }
        Digest written = base.pinnedInDockerfile();
        if (written != null && base.platforms().stream().noneMatch(p -> p.digest().equals(written))) {
            lines.set(0, lines.get(0) + "; the Dockerfile was pinned to " + written);
        }
        return lines;
    }

    /** {@code [platform: ]sha256:old → sha256:new}, or the digest with "(unchanged)", "(first version)", "(previous not known)". */
    private static String digestChange(Platform platform, Digest digest, Digest previous, ImagePublished event) {
        String text = platform == null ? "" : platform + ": ";
        if (previous == null) {
            return text + digest + (firstVersion(event) ? " (first version)" : " (previous not known)");
        }
        return text + (previous.equals(digest) ? digest + " (unchanged)" : previous + " → " + digest);
    }

    private static boolean firstVersion(ImagePublished event) {
        return event.replaces() == null && "1.0.0".equals(event.version());
    }

    /** {@code FROM <registry>/<repository>:<version tag>@sha256:…}. */
    public static String dockerfileLine(ImagePublished event) {
        return "FROM " + event.image();
    }

    /** The CLI command that starts the run again. */
    public static String retryCommand(PipelineFailed event) {
        if (isRollback(event)) {
            return "freshen rollback " + event.imageId() + " --reason \"retry of rollback " + event.runId() + "\"";
        }
        return "freshen force-update " + event.imageId() + " --reason \"retry of run " + event.runId() + " (failed at "
                + event.stage().id() + ")\"";
    }

    /** A failed rollback (not a run): its trigger kind is {@code rollback}. */
    public static boolean isRollback(PipelineFailed event) {
        return event.trigger() != null && event.trigger().kind() == Trigger.Kind.ROLLBACK;
    }

    /** 850ms, 45s, 2m 05s, 1h 02m ({@link Durations#human}). */
    public static String duration(Duration duration) {
        return Durations.human(duration);
    }

    /** {@code 2026-11-30 19:28:59 UTC}: a moment as people read it, to the second, in UTC. */
    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** From the first stage's start to the last stage's end. */
    public static Duration total(List<StageTiming> timings) {
        return Duration.between(
                timings.stream().map(StageTiming::startedAt).min(Comparator.naturalOrder()).orElseThrow(),
                timings.stream().map(StageTiming::finishedAt).max(Comparator.naturalOrder()).orElseThrow());
    }

    /** At most {@code maxChars} characters from the start of {@code text}, ending with "…" when cut. */
    public static String head(String text, int maxChars) {
        return text.length() <= maxChars ? text : text.substring(0, Math.max(0, maxChars - 1)) + "…";
    }

    /**
     * The end of a log ({@link #plain}): at most {@code maxLines} lines and about {@code maxChars} characters (the last
     * lines matter most), each line at most {@code maxLineChars}; when lines were dropped, the first line says how many.
     */
    public static List<String> logTail(String log, int maxLines, int maxChars, int maxLineChars) {
        List<String> lines = plain(log).strip().lines().map(l -> head(l.stripTrailing(), maxLineChars)).toList();
        int from = lines.size();
        int chars = 0;
        while (from > 0 && lines.size() - from < maxLines && chars + lines.get(from - 1).length() + 1 <= maxChars) {
            chars += lines.get(--from).length() + 1;
        }
        if (from == 0) {
            return lines;
        }
        ArrayList<String> kept = new ArrayList<>(lines.size() - from + 1);
        kept.add("… " + from + (from == 1 ? " earlier line" : " earlier lines") + " trimmed");
        kept.addAll(lines.subList(from, lines.size()));
        return kept;
    }
}
