package dev.freshen.notifier.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshen.events.BaseImage;
import dev.freshen.events.ChecksFailed;
import dev.freshen.events.ChecksRecovered;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Trigger;
import dev.freshen.notifier.CheckHealthText;
import dev.freshen.notifier.OutcomeText;
import dev.freshen.notifier.RollbackText;
import dev.freshen.notifier.WatchChangeText;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds the Slack incoming-webhook message for an event: Block Kit {@code blocks} plus a plain {@code text} fallback
 * (shown in notifications). Stays within Slack's limits: header 150 characters, at most 10 fields of 2,000, section
 * text 3,000. Text is escaped for mrkdwn ({@code & < >}). Pure: event in, JSON out.
 */
public final class SlackBlocks {

    static final int HEADER_CHARS = 150;
    static final int FIELD_CHARS = 2_000;
    static final int SECTION_CHARS = 3_000;
    static final int LOG_LINES = 30;
    static final int LOG_LINE_CHARS = 300;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SlackBlocks() {
    }

    /**
     * The message to post for {@code event} (an {@code ImagePublished}, {@code PipelineFailed}, {@code ImageWatchChanged},
     * {@code ImageRolledBack}, {@code ChecksFailed} or {@code ChecksRecovered}).
     */
    public static ObjectNode message(FreshenEvent event) {
        if (event instanceof ImagePublished published) {
            return published(published);
        }
        if (event instanceof PipelineFailed failed) {
            return failed(failed);
        }
        if (event instanceof ImageWatchChanged changed) {
            return watchChanged(changed);
        }
        if (event instanceof ImageRolledBack rolledBack) {
            return rolledBack(rolledBack);
        }
        if (event instanceof ChecksFailed failed) {
            return checksFailed(failed);
        }
        if (event instanceof ChecksRecovered recovered) {
            return checksRecovered(recovered);
        }
        throw new IllegalArgumentException("Slack announces runs, rollbacks, changes of watch state and check health, not "
                + event.type());
    }

    public static ObjectNode published(ImagePublished event) {
        String title = OutcomeText.publishedTitle(event);
        ObjectNode message = JSON.objectNode()
                .put("text", ":white_check_mark: " + escape(title) + ": " + escape(event.image().toString()));
        ArrayNode blocks = message.putArray("blocks");
        header(blocks, "✅ " + title);
        ArrayNode fields = section(blocks).putArray("fields");
        field(fields, "Image", event.imageId());
        field(fields, "Version", OutcomeText.version(event));
        String replaces = OutcomeText.replaces(event);
        if (replaces != null) {
            field(fields, "Replaces", replaces);
        }
        field(fields, "Tags", String.join(", ", event.tags()));
        String delta = OutcomeText.scanDelta(event);
        if (delta != null) {
            field(fields, "Vulnerabilities", delta);
        }
        String findings = OutcomeText.scanFindings(event);
        if (findings != null) {
            field(fields, "Scan", findings);
        }
        field(fields, "Triggered by", OutcomeText.trigger(event));
        field(fields, "Run", event.runId());
        String reason = OutcomeText.forcedReason(event.trigger());
        if (reason != null) {
            field(fields, "Reason", reason);
        }
        changes(blocks, event.trigger());
        text(blocks, "*Image URI*\n`" + escape(event.image().toString()) + "`");
        for (BaseImage base : event.baseImages()) {
            text(blocks, "*Base image* " + escape(base.reference().toString()) + OutcomeText.baseDigests(base, event)
                    .stream().map(line -> "\n`" + escape(line) + "`").collect(Collectors.joining()));
        }
        text(blocks, "*Copy this into your Dockerfile*\n```" + code(OutcomeText.dockerfileLine(event)) + "```");
        if (!event.timings().isEmpty()) {
            String timings = event.timings().stream()
                    .map(t -> t.stage().id() + " " + OutcomeText.duration(t.duration()))
                    .collect(Collectors.joining(" · "));
            context(blocks, "Duration per stage: " + timings + " · total "
                    + OutcomeText.duration(OutcomeText.total(event.timings())));
        }
        return message;
    }

    public static ObjectNode failed(PipelineFailed event) {
        String title = OutcomeText.failedTitle(event);
        String reason = OutcomeText.reason(event);
        ObjectNode message = JSON.objectNode()
                .put("text", ":x: " + escape(title) + ": " + escape(OutcomeText.head(reason, 300)));
        ArrayNode blocks = message.putArray("blocks");
        header(blocks, "❌ " + title);
        text(blocks, "*Reason*\n" + escape(reason));
        String hint = OutcomeText.hint(event);
        if (hint != null) {
            text(blocks, "*What to do*\n" + escape(hint));
        }
        ArrayNode fields = section(blocks).putArray("fields");
        field(fields, "Image", event.imageId());
        field(fields, "Stage", event.stage().id());
        field(fields, "Failure", OutcomeText.failureKind(event.kind()));
        field(fields, "Triggered by", OutcomeText.trigger(event.trigger()));
        field(fields, "Run", event.runId());
        String forcedReason = OutcomeText.forcedReason(event.trigger());
        if (forcedReason != null) {
            field(fields, "Forced because", forcedReason);
        }
        String heldBack = OutcomeText.heldBack(event);
        if (heldBack != null) {
            field(fields, "Held back", heldBack);
        }
        changes(blocks, event.trigger());
        if (event.logExcerpt() != null && !event.logExcerpt().isBlank()) {
            text(blocks, "*Log excerpt*\n```" + logCode(event.logExcerpt()) + "```");
        }
        text(blocks, "*To retry*\n```" + code(OutcomeText.retryCommand(event)) + "```");
        return message;
    }

    /**
     * A change of an image's watch state: "net10/runtime is not watched any more: …" with every problem and its hint,
     * what stays published, and how to get it watched again; or "… is watched again".
     */
    public static ObjectNode watchChanged(ImageWatchChanged event) {
        boolean invalid = WatchChangeText.invalid(event);
        String emoji = invalid ? ":warning: " : WatchChangeText.watchedAgain(event) ? ":white_check_mark: " : "";
        ObjectNode message = JSON.objectNode().put("text", emoji + escape(OutcomeText.head(WatchChangeText.summary(event), 1_000)));
        ArrayNode blocks = message.putArray("blocks");
        header(blocks, (invalid ? "⚠️ " : WatchChangeText.watchedAgain(event) ? "✅ " : "") + WatchChangeText.title(event));
        text(blocks, escape(WatchChangeText.consequence(event)));
        for (ImageWatchChanged.Problem problem : WatchChangeText.shown(event)) {
            String location = WatchChangeText.location(problem);
            text(blocks, (location.isEmpty() ? "" : "*" + escape(location) + "*\n") + escape(problem.message())
                    + (problem.hint() == null ? "" : "\n→ " + escape(problem.hint())));
        }
        if (WatchChangeText.omitted(event) != null) {
            text(blocks, escape(WatchChangeText.omitted(event)));
        }
        ArrayNode fields = section(blocks).putArray("fields");
        field(fields, "Image", event.imageId());
        field(fields, "State", WatchChangeText.state(event.state()));
        field(fields, "Last published", event.lastPublished() == null ? "nothing known" : event.lastPublished().toString());
        field(fields, "Change", event.runId());
        String todo = WatchChangeText.whatToDo(event);
        if (todo != null) {
            text(blocks, "*To have it watched again*\n" + escape(todo));
        }
        return message;
    }

    /** A rollback: the version the moving tags name now and before, which tags, who and why, what happens next. */
    public static ObjectNode rolledBack(ImageRolledBack event) {
        ObjectNode message = JSON.objectNode().put("text", ":rewind: " + escape(OutcomeText.head(RollbackText.summary(event),
                1_000)));
        ArrayNode blocks = message.putArray("blocks");
        header(blocks, "⏪ " + RollbackText.title(event));
        String reason = RollbackText.reason(event);
        if (reason != null) {
            text(blocks, "*Reason*\n" + escape(reason));
        }
        ArrayNode fields = section(blocks).putArray("fields");
        field(fields, "Image", event.imageId());
        field(fields, "Now", event.to().tag());
        field(fields, "Before", RollbackText.before(event));
        field(fields, "Newest version", event.newestVersion());
        field(fields, "Tags moved", String.join(", ", event.tags()));
        field(fields, "Requested by", RollbackText.requestedBy(event));
        field(fields, "Rollback", event.runId());
        text(blocks, "*What happens next*\n" + escape(RollbackText.next(event)));
        text(blocks, "*To pin this version in your Dockerfile*\n```" + code(RollbackText.dockerfileLine(event)) + "```");
        return message;
    }

    /** An image whose checks keep failing: the reason, what it means, the streak, and what to do. */
    public static ObjectNode checksFailed(ChecksFailed event) {
        ObjectNode message = JSON.objectNode().put("text", ":warning: " + escape(OutcomeText.head(
                CheckHealthText.summary(event), 1_000)));
        ArrayNode blocks = message.putArray("blocks");
        header(blocks, "⚠️ " + CheckHealthText.title(event));
        text(blocks, "*Reason*\n" + escape(CheckHealthText.reason(event)));
        text(blocks, escape(CheckHealthText.consequence(event)));
        ArrayNode fields = section(blocks).putArray("fields");
        field(fields, "Image", event.imageId());
        field(fields, "Failing since", OutcomeText.time(event.failingSince()));
        field(fields, "Failed checks", event.consecutiveFailures() + " in a row");
        field(fields, "Problem", event.code());
        field(fields, "Streak", event.runId());
        text(blocks, "*What to do*\n" + escape(CheckHealthText.whatToDo(event)));
        return message;
    }

    /** An image whose checks pass again: since when they failed, how many, and what that means now. */
    public static ObjectNode checksRecovered(ChecksRecovered event) {
        ObjectNode message = JSON.objectNode().put("text", ":white_check_mark: " + escape(CheckHealthText.summary(event)));
        ArrayNode blocks = message.putArray("blocks");
        header(blocks, "✅ " + CheckHealthText.title(event));
        text(blocks, escape(CheckHealthText.consequence(event)));
        ArrayNode fields = section(blocks).putArray("fields");
        field(fields, "Image", event.imageId());
        field(fields, "Failing since", OutcomeText.time(event.failingSince()));
        field(fields, "Failed for", CheckHealthText.failedFor(event));
        field(fields, "Failed checks", Integer.toString(event.failedCycles()));
        field(fields, "Streak", event.runId());
        return message;
    }

    /**
     * "What changed" (one bullet per file) and "Commits" (one bullet per commit) of a definition change, as
     * {@link OutcomeText#changes} and {@link OutcomeText#commits} word them; sections, not fields (a message has at
     * most 10 fields). Nothing when the trigger names no definition change.
     */
    private static void changes(ArrayNode blocks, Trigger trigger) {
        List<String> files = OutcomeText.changes(trigger);
        if (!files.isEmpty()) {
            text(blocks, "*What changed*\n" + bullets(files));
        }
        List<String> commits = OutcomeText.commits(trigger);
        if (!commits.isEmpty()) {
            text(blocks, "*Commits*\n" + bullets(commits));
        }
    }

    private static String bullets(List<String> lines) {
        return lines.stream().map(line -> "• " + escape(line)).collect(Collectors.joining("\n"));
    }

    /** Escapes the three characters Slack's mrkdwn reserves. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Text inside a code block: escaped, and unable to close the block early. */
    private static String code(String text) {
        return escape(text).replace("```", "'''");
    }

    private static void header(ArrayNode blocks, String text) {
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
                .put("text", OutcomeText.head(text, HEADER_CHARS)).put("emoji", true);
    }

    private static ObjectNode section(ArrayNode blocks) {
        return blocks.addObject().put("type", "section");
    }

    private static void text(ArrayNode blocks, String mrkdwn) {
        section(blocks).putObject("text").put("type", "mrkdwn").put("text", OutcomeText.head(mrkdwn, SECTION_CHARS));
    }

    private static void field(ArrayNode fields, String title, String value) {
        fields.addObject().put("type", "mrkdwn")
                .put("text", OutcomeText.head("*" + title + "*\n" + escape(value), FIELD_CHARS));
    }

    private static void context(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", OutcomeText.head(escape(mrkdwn), SECTION_CHARS));
    }

    /** The end of the log as code-block text that fits one section once escaped. */
    private static String logCode(String log) {
        int room = SECTION_CHARS - "*Log excerpt*\n``````".length();
        String text = code(String.join("\n", OutcomeText.logTail(log, LOG_LINES, room, LOG_LINE_CHARS)));
        for (int maxChars = room / 2; text.length() > room; maxChars /= 2) {
            text = code(String.join("\n", OutcomeText.logTail(log, LOG_LINES, maxChars, LOG_LINE_CHARS)));
        }
        return text;
    }
}
