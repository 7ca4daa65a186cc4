package dev.freshen.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The text form of runs: one line per stage entry ({@code "   0:41  build    built …"}), the outcome line, the
 * progress line and durations as {@code m:ss} or {@code h:mm:ss}.
 */
final class RunFormat {

    private RunFormat() {
    }

    /** {@code run <id> of <image>, forced by cli:alice: CVE fix, started 2026-11-27T10:00:00Z}. */
    static String header(RunView run) {
        StringBuilder line = new StringBuilder("run ").append(run.runId()).append(" of ").append(run.imageId());
        if (run.trigger() != null) {
            line.append(", ").append(trigger(run.trigger()));
        }
        if (run.startedAt() != null) {
            line.append(", started ").append(time(run.startedAt()));
        }
        return line.toString();
    }

    /** {@code "   0:41  build    built 127.0.0.1:5000/platform/x@sha256:…"}: time since the run's start, stage, what. */
    static String stage(RunView.Entry entry, Instant origin) {
        return "%7s  %-8s %s".formatted(elapsed(origin == null ? Duration.ZERO : Duration.between(origin, entry.at())),
                entry.stage(), describe(entry));
    }

    /** What an entry says, in words. */
    static String describe(RunView.Entry e) {
        String text = switch (e.event()) {
            case "BASE_IMAGE_UPDATED" -> "base image updated: " + (e.baseImages() == null ? "" : e.baseImages().stream()
                    .map(RunFormat::base).collect(Collectors.joining("; ")));
            case "FORCE_UPDATE_REQUESTED" -> "forced by " + (e.requestedBy() == null ? "someone" : e.requestedBy())
                    + (e.reason() == null ? "" : ": " + e.reason());
            case "IMAGE_BUILT" -> "built " + e.candidate() + (e.warnings() == null || e.warnings() == 0 ? ""
                    : ", " + e.warnings() + " warning" + (e.warnings() == 1 ? "" : "s"));
            case "IMAGE_VERIFIED" -> "verified " + e.candidate() + (e.checks() == null ? ""
                    : " (" + e.checks() + " check" + (e.checks() == 1 ? "" : "s") + " passed)");
            case "IMAGE_PUBLISHED" -> "published " + e.image();
            case "PIPELINE_FAILED" -> "failed (" + e.kind() + "): " + e.reason();
            default -> e.event().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + (e.reason() == null ? "" : ": " + e.reason());
        };
        return e.attempt() > 1 ? text + " (attempt " + e.attempt() + ")" : text;
    }

    /**
     * The last line: {@code published <reference> after 1:15}, {@code failed at test (permanent) after 1:12: <reason>},
     * followed by {@code ; later superseded: published 10.0-1.3.0} when a later outcome told otherwise.
     */
    static String outcome(RunView run) {
        Duration took = run.origin() == null || run.endedAt() == null ? null : Duration.between(run.origin(), run.endedAt());
        String after = took == null ? "" : " after " + elapsed(took);
        String superseded = run.supersededBy() == null ? "" : "; later superseded: " + (RunView.PUBLISHED.equals(
                run.supersededBy().state()) ? "published " : "failed at ") + run.supersededBy().detail();
        if (run.published() != null) {
            return "published " + run.published().image() + after + superseded;
        } else if (run.failure() != null) {
            return "failed at " + run.failure().stage() + " (" + run.failure().kind() + ")" + after + ": "
                    + run.failure().reason() + superseded;
        }
        String last = run.stages().isEmpty() ? "" : " (" + next(run) + ")";
        return "in flight" + last;
    }

    /** The stage a run in flight is in now: the one after its last entry. */
    static String next(RunView run) {
        if (run == null || run.stages().isEmpty()) {
            return "waiting";
        }
        return switch (run.stages().get(run.stages().size() - 1).event()) {
            case "BASE_IMAGE_UPDATED", "FORCE_UPDATE_REQUESTED" -> "build";
            case "IMAGE_BUILT" -> "test";
            case "IMAGE_VERIFIED" -> "publish";
            default -> run.stages().get(run.stages().size() - 1).stage();
        };
    }

    /** The live line on a terminal: {@code "   0:53  test     …"}. */
    static String progress(RunView run, Duration elapsed) {
        return "%7s  %-8s %s".formatted(elapsed(elapsed), next(run),
                run == null ? "waiting for the run's first event…" : "running…");
    }

    /** {@code forced by cli:alice: CVE fix} or {@code base image updated}. */
    static String trigger(RunView.Trigger trigger) {
        if ("forced".equals(trigger.kind())) {
            return "forced" + (trigger.requestedBy() == null ? "" : " by " + trigger.requestedBy())
                    + (trigger.reason() == null ? "" : ": " + trigger.reason());
        }
        return trigger.kind() == null ? "" : trigger.kind().replace('-', ' ');
    }

    /** {@code 0:05}, {@code 12:41}, {@code 1:02:09}; negative durations (clock skew between hosts) count as zero. */
    static String elapsed(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        return hours > 0 ? "%d:%02d:%02d".formatted(hours, minutes, rest) : "%d:%02d".formatted(minutes, rest);
    }

    /** A duration as an operator writes it: {@code 45s}, {@code 30m}, {@code 2h}, {@code 1h30m}. */
    static String span(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 60 != 0 || seconds == 0) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        return minutes % 60 == 0 ? minutes / 60 + "h" : minutes >= 60 ? minutes / 60 + "h" + minutes % 60 + "m" : minutes + "m";
    }

    /** A time to the second, UTC: {@code 2026-11-27T10:00:00Z}. */
    static String time(Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * {@code <base> sha256:old -> sha256:new}; for a base of a multi-platform image, each platform that moved
     * ({@code <base> (linux/arm64) sha256:old -> sha256:new}), or the first platform when none did.
     */
    private static String base(RunView.Base b) {
        List<String> moved = b.platforms().stream().filter(p -> !p.digest().equals(p.previousDigest()))
                .map(p -> b.reference() + " (" + p.platform() + ") " + change(p.previousDigest(), p.digest())).toList();
        return moved.isEmpty() ? b.reference() + " " + change(b.previousDigest(), b.digest()) : String.join(", ", moved);
    }

    private static String change(String before, String after) {
        return (before == null ? "(never built)" : shortDigest(before)) + " -> " + shortDigest(after);
    }

    /** {@code sha256:0123456789ab} (12 hex digits), or the text as it is. */
    static String shortDigest(String digest) {
        return digest != null && digest.startsWith("sha256:") && digest.length() > 19 ? digest.substring(0, 19) : digest;
    }

    /** One line per entry, after the header. */
    static List<String> timeline(RunView run) {
        return run.stages().stream().map(e -> stage(e, run.origin())).toList();
    }
}
