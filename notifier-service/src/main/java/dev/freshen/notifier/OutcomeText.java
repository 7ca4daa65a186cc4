package dev.freshen.notifier;

import dev.freshen.events.BaseImage;
import dev.freshen.events.Durations;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The wording every notification shares, so that Teams, Slack and their tests agree: titles, triggers, durations,
 * digest changes, the Dockerfile line, the retry command, and trimming to a size limit.
 */
public final class OutcomeText {

    private OutcomeText() {
    }

    public static String publishedTitle(ImagePublished event) {
        return "Published " + event.imageId() + " " + event.version();
    }

    public static String failedTitle(PipelineFailed event) {
        return event.imageId() + ": run failed at " + event.stage().id();
    }

    /**
     * "base image update", or "forced by alice" (the reason is shown apart: it is free text); a kind this version does
     * not know (written by a newer one) in plain words from its id: "parent published".
     */
    public static String trigger(Trigger trigger) {
        if (trigger == null) {
            return "unknown";
        }
        Trigger.Kind kind = trigger.kind();
        if (kind.equals(Trigger.Kind.BASE_IMAGE_UPDATED)) {
            return "base image update";
        }
        if (kind.equals(Trigger.Kind.FORCED)) {
            return trigger.requestedBy() == null || trigger.requestedBy().isBlank() ? "forced"
                    : "forced by " + trigger.requestedBy();
        }
        return kind.id().replace('-', ' ');
    }

    /** The reason given for a forced run, or null. */
    public static String forcedReason(Trigger trigger) {
        return trigger == null || trigger.kind() != Trigger.Kind.FORCED || trigger.reason() == null
                || trigger.reason().isBlank() ? null : trigger.reason();
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

    /** {@code sha256:old → sha256:new}; "(not known)" when the previous digest is unknown. */
    public static String digestChange(BaseImage base) {
        String previous = base.previousDigest() == null ? "(not known)" : base.previousDigest().toString();
        return previous + " → " + base.digest();
    }

    /** {@code FROM <registry>/<repository>:<version tag>@sha256:…}. */
    public static String dockerfileLine(ImagePublished event) {
        return "FROM " + event.image();
    }

    /** The CLI command that starts the run again. */
    public static String retryCommand(PipelineFailed event) {
        return "freshen force-update " + event.imageId() + " --reason \"retry of run " + event.runId() + " (failed at "
                + event.stage().id() + ")\"";
    }

    /** 850ms, 45s, 2m 05s, 1h 02m ({@link Durations#human}). */
    public static String duration(Duration duration) {
        return Durations.human(duration);
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
     * The end of a log: at most {@code maxLines} lines and about {@code maxChars} characters (the last lines matter
     * most), each line at most {@code maxLineChars}; when lines were dropped, the first line says how many.
     */
    public static List<String> logTail(String log, int maxLines, int maxChars, int maxLineChars) {
        List<String> lines = log.strip().lines().map(l -> head(l.stripTrailing(), maxLineChars)).toList();
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
