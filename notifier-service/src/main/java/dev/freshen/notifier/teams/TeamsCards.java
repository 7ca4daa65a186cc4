package dev.freshen.notifier.teams;

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
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.notifier.CheckHealthText;
import dev.freshen.notifier.OutcomeText;
import dev.freshen.notifier.RollbackText;
import dev.freshen.notifier.WatchChangeText;

import java.util.List;

/**
 * Builds the Microsoft Teams message for an event: an Adaptive Card (version 1.4, the highest Teams renders
 * everywhere; {@code msteams.width: Full}) in the {@code {"type":"message","attachments":[…]}} envelope that both
 * Workflows ("When a Teams webhook request is received") and legacy incoming webhooks accept. Pure: event in, JSON out.
 * Free text (reasons, hints, log lines, already {@link OutcomeText#plain plain}) goes into {@code TextRun}s, which
 * Teams does not read as markdown; identifiers,
 * digests and durations go into fact sets. Long texts are trimmed so the message stays far below Teams' 28 KB limit.
 */
public final class TeamsCards {

    public static final String CARD_VERSION = "1.4";
    public static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
    static final int REASON_CHARS = 1_000;
    static final int LOG_LINES = 30;
    static final int LOG_CHARS = 4_000;
    static final int LOG_LINE_CHARS = 300;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TeamsCards() {
    }

    /**
     * The message to post for {@code event} (an {@code ImagePublished}, {@code PipelineFailed}, {@code ImageWatchChanged},
     * {@code ImageRolledBack}, {@code ChecksFailed} or {@code ChecksRecovered}).
     */
    public static ObjectNode message(FreshenEvent event) {
        if (event instanceof ImagePublished published) {
            return envelope(published(published));
        }
        if (event instanceof PipelineFailed failed) {
            return envelope(failed(failed));
        }
        if (event instanceof ImageWatchChanged changed) {
            return envelope(watchChanged(changed));
        }
        if (event instanceof ImageRolledBack rolledBack) {
            return envelope(rolledBack(rolledBack));
        }
        if (event instanceof ChecksFailed failed) {
            return envelope(checksFailed(failed));
        }
        if (event instanceof ChecksRecovered recovered) {
            return envelope(checksRecovered(recovered));
        }
        throw new IllegalArgumentException("Teams announces runs, rollbacks, changes of watch state and check health, not "
                + event.type());
    }

    /** Wraps {@code card} as the single attachment of a message. */
    public static ObjectNode envelope(ObjectNode card) {
        ObjectNode message = JSON.objectNode().put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", CONTENT_TYPE);
        attachment.putNull("contentUrl");
        attachment.set("content", card);
        return message;
    }

    /**
     * The card for a published image: what (the full version tag and the one it replaces), where, from which bases
     * (each digest and what the previous version was built from), what the registry's scan found and how that changed
     * against the previous version, why and who asked (for a definition change: the files and commits), how long, and
     * the line to copy.
     */
    public static ObjectNode published(ImagePublished event) {
        ObjectNode card = card();
        ArrayNode body = card.putArray("body");
        body.add(title("✅ " + OutcomeText.publishedTitle(event), "Good"));
        ArrayNode facts = JSON.arrayNode();
        fact(facts, "Image", event.imageId());
        fact(facts, "Version", OutcomeText.version(event));
        String replaces = OutcomeText.replaces(event);
        if (replaces != null) {
            fact(facts, "Replaces", replaces);
        }
        fact(facts, "Image URI", event.image().toString());
        fact(facts, "Tags", String.join(", ", event.tags()));
        String delta = OutcomeText.scanDelta(event);
        if (delta != null) {
            fact(facts, "Vulnerabilities", delta);
        }
        String findings = OutcomeText.scanFindings(event);
        if (findings != null) {
            fact(facts, "Scan", findings);
        }
        for (BaseImage base : event.baseImages()) {
            fact(facts, "Base image", base.reference().toString());
            for (String line : OutcomeText.baseDigests(base, event)) {
                fact(facts, "Base digest", line);
            }
        }
        fact(facts, "Triggered by", OutcomeText.trigger(event));
        fact(facts, "Run", event.runId());
        body.add(factSet(facts));
        String reason = OutcomeText.forcedReason(event.trigger());
        if (reason != null) {
            body.add(labelled("Reason: ", OutcomeText.head(reason, REASON_CHARS)));
        }
        changes(body, event.trigger());
        if (!event.timings().isEmpty()) {
            body.add(heading("Duration per stage"));
            ArrayNode timings = JSON.arrayNode();
            for (StageTiming timing : event.timings()) {
                fact(timings, timing.stage().id(), OutcomeText.duration(timing.duration()));
            }
            fact(timings, "total", OutcomeText.duration(OutcomeText.total(event.timings())));
            body.add(factSet(timings).put("spacing", "Small"));
        }
        body.add(heading("Copy this into your Dockerfile"));
        body.add(code(List.of(OutcomeText.dockerfileLine(event))));
        return card;
    }

    /**
     * The card for a failed run: which stage, why, what to do, which images it holds back, what changed in the
     * definition, the end of the log, and how to retry.
     */
    public static ObjectNode failed(PipelineFailed event) {
        ObjectNode card = card();
        ArrayNode body = card.putArray("body");
        body.add(title("❌ " + OutcomeText.failedTitle(event), "Attention"));
        body.add(labelled("Reason: ", OutcomeText.head(OutcomeText.reason(event), REASON_CHARS)));
        String hint = OutcomeText.hint(event);
        if (hint != null) {
            body.add(labelled("What to do: ", OutcomeText.head(hint, REASON_CHARS)));
        }
        ArrayNode facts = JSON.arrayNode();
        fact(facts, "Image", event.imageId());
        fact(facts, "Stage", event.stage().id());
        fact(facts, "Failure", OutcomeText.failureKind(event.kind()));
        fact(facts, "Triggered by", OutcomeText.trigger(event.trigger()));
        fact(facts, "Run", event.runId());
        fact(facts, "Failed at", OutcomeText.time(event.occurredAt()));
        String heldBack = OutcomeText.heldBack(event);
        if (heldBack != null) {
            fact(facts, "Held back", heldBack);
        }
        body.add(factSet(facts));
        String reason = OutcomeText.forcedReason(event.trigger());
        if (reason != null) {
            body.add(labelled("Forced because: ", OutcomeText.head(reason, REASON_CHARS)));
        }
        changes(body, event.trigger());
        if (event.logExcerpt() != null && !event.logExcerpt().isBlank()) {
            body.add(heading("Log excerpt"));
            body.add(code(OutcomeText.logTail(event.logExcerpt(), LOG_LINES, LOG_CHARS, LOG_LINE_CHARS)));
        }
        body.add(heading("To retry"));
        body.add(code(List.of(OutcomeText.retryCommand(event))));
        return card;
    }

    /**
     * The card for a change of an image's watch state: "net10/runtime is not watched any more" with every problem
     * (where, what, and what to do), what stays published, and how to get it watched again; or "… is watched again".
     */
    public static ObjectNode watchChanged(ImageWatchChanged event) {
        ObjectNode card = card();
        ArrayNode body = card.putArray("body");
        boolean invalid = WatchChangeText.invalid(event);
        body.add(title((invalid ? "⚠️ " : WatchChangeText.watchedAgain(event) ? "✅ " : "") + WatchChangeText.title(event),
                invalid ? "Attention" : "Good"));
        body.add(plain(WatchChangeText.consequence(event)));
        for (ImageWatchChanged.Problem problem : WatchChangeText.shown(event)) {
            ObjectNode container = body.addObject().put("type", "Container").put("spacing", "Medium");
            ArrayNode items = container.putArray("items");
            String location = WatchChangeText.location(problem);
            items.add(labelled(location.isEmpty() ? "" : location + ": ", OutcomeText.head(problem.message(), REASON_CHARS)));
            if (problem.hint() != null) {
                items.add(plain("→ " + OutcomeText.head(problem.hint(), REASON_CHARS)).put("spacing", "None"));
            }
        }
        if (WatchChangeText.omitted(event) != null) {
            body.add(plain(WatchChangeText.omitted(event)));
        }
        ArrayNode facts = JSON.arrayNode();
        fact(facts, "Image", event.imageId());
        fact(facts, "State", WatchChangeText.state(event.state()));
        if (event.previousState() != null) {
            fact(facts, "Before", WatchChangeText.state(event.previousState()));
        }
        fact(facts, "Last published", event.lastPublished() == null ? "nothing known" : event.lastPublished().toString());
        fact(facts, "Changed at", OutcomeText.time(event.occurredAt()));
        fact(facts, "Change", event.runId());
        body.add(factSet(facts));
        String todo = WatchChangeText.whatToDo(event);
        if (todo != null) {
            body.add(heading("To have it watched again"));
            body.add(plain(todo));
        }
        return card;
    }

    /**
     * The card for a rollback: which version the moving tags name now and before, which tags, who asked and why, what
     * happens next, and the line to copy.
     */
    public static ObjectNode rolledBack(ImageRolledBack event) {
        ObjectNode card = card();
        ArrayNode body = card.putArray("body");
        body.add(title("⏪ " + RollbackText.title(event), "Warning"));
        String reason = RollbackText.reason(event);
        if (reason != null) {
            body.add(labelled("Reason: ", OutcomeText.head(reason, REASON_CHARS)));
        }
        ArrayNode facts = JSON.arrayNode();
        fact(facts, "Image", event.imageId());
        fact(facts, "Now", event.to().tag());
        fact(facts, "Before", RollbackText.before(event));
        fact(facts, "Newest version", event.newestVersion());
        fact(facts, "Tags moved", String.join(", ", event.tags()));
        fact(facts, "Requested by", RollbackText.requestedBy(event));
        fact(facts, "Image URI", event.to().toString());
        fact(facts, "Rolled back at", OutcomeText.time(event.occurredAt()));
        fact(facts, "Rollback", event.runId());
        body.add(factSet(facts));
        body.add(heading("What happens next"));
        body.add(plain(RollbackText.next(event)));
        body.add(heading("To pin this version in your Dockerfile"));
        body.add(code(List.of(RollbackText.dockerfileLine(event))));
        return card;
    }

    /**
     * The card for an image whose checks keep failing: the reason, what it means, the facts of the streak, and what to
     * do about its kind of problem.
     */
    public static ObjectNode checksFailed(ChecksFailed event) {
        ObjectNode card = card();
        ArrayNode body = card.putArray("body");
        body.add(title("⚠️ " + CheckHealthText.title(event), "Attention"));
        body.add(labelled("Reason: ", OutcomeText.head(CheckHealthText.reason(event), REASON_CHARS)));
        body.add(plain(CheckHealthText.consequence(event)));
        ArrayNode facts = JSON.arrayNode();
        fact(facts, "Image", event.imageId());
        fact(facts, "Failing since", OutcomeText.time(event.failingSince()));
        fact(facts, "Failed checks", Integer.toString(event.consecutiveFailures()) + " in a row");
        fact(facts, "Problem", event.code());
        fact(facts, "Streak", event.runId());
        body.add(factSet(facts));
        body.add(heading("What to do"));
        body.add(plain(CheckHealthText.whatToDo(event)));
        return card;
    }

    /** The card for an image whose checks pass again: since when they failed, how many, and what that means now. */
    public static ObjectNode checksRecovered(ChecksRecovered event) {
        ObjectNode card = card();
        ArrayNode body = card.putArray("body");
        body.add(title("✅ " + CheckHealthText.title(event), "Good"));
        body.add(plain(CheckHealthText.consequence(event)));
        ArrayNode facts = JSON.arrayNode();
        fact(facts, "Image", event.imageId());
        fact(facts, "Failing since", OutcomeText.time(event.failingSince()));
        fact(facts, "Recovered at", OutcomeText.time(event.recoveredAt()));
        fact(facts, "Failed for", CheckHealthText.failedFor(event));
        fact(facts, "Failed checks", Integer.toString(event.failedCycles()));
        fact(facts, "Streak", event.runId());
        body.add(factSet(facts));
        return card;
    }

    /**
     * What changed in the definition the run builds ("What changed": one line per file) and the commits that changed
     * it ("Commits"), as {@link OutcomeText#changes} and {@link OutcomeText#commits} word them; paths and subjects are
     * free text, so {@code TextRun}s. Nothing when the trigger names no definition change.
     */
    private static void changes(ArrayNode body, Trigger trigger) {
        List<String> files = OutcomeText.changes(trigger);
        if (!files.isEmpty()) {
            body.add(heading("What changed"));
            files.forEach(line -> body.add(plain(OutcomeText.head(line, REASON_CHARS)).put("spacing", "None")));
        }
        List<String> commits = OutcomeText.commits(trigger);
        if (!commits.isEmpty()) {
            body.add(heading("Commits"));
            commits.forEach(line -> body.add(plain(OutcomeText.head(line, REASON_CHARS)).put("spacing", "None")));
        }
    }

    /** Free text shown as is (a {@code TextRun}, not markdown: hints hold cron expressions and paths). */
    private static ObjectNode plain(String text) {
        ObjectNode block = JSON.objectNode().put("type", "RichTextBlock");
        block.putArray("inlines").addObject().put("type", "TextRun").put("text", text);
        return block;
    }

    private static ObjectNode card() {
        ObjectNode card = JSON.objectNode();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", CARD_VERSION);
        card.putObject("msteams").put("width", "Full");
        return card;
    }

    private static ObjectNode title(String text, String color) {
        return textBlock(text).put("size", "Large").put("weight", "Bolder").put("color", color);
    }

    private static ObjectNode heading(String text) {
        return textBlock(text).put("weight", "Bolder").put("spacing", "Medium");
    }

    private static ObjectNode textBlock(String text) {
        return JSON.objectNode().put("type", "TextBlock").put("text", text).put("wrap", true);
    }

    private static ObjectNode factSet(ArrayNode facts) {
        ObjectNode set = JSON.objectNode().put("type", "FactSet");
        set.set("facts", facts);
        return set;
    }

    private static void fact(ArrayNode facts, String title, String value) {
        facts.addObject().put("title", title).put("value", value);
    }

    /** A bold label followed by free text that is shown as is (no markdown). */
    private static ObjectNode labelled(String label, String text) {
        ObjectNode block = JSON.objectNode().put("type", "RichTextBlock");
        ArrayNode inlines = block.putArray("inlines");
        inlines.addObject().put("type", "TextRun").put("text", label).put("weight", "Bolder");
        inlines.addObject().put("type", "TextRun").put("text", text);
        return block;
    }

    /** Monospace lines, one {@code RichTextBlock} each (line breaks inside a text render differently per client). */
    private static ObjectNode code(List<String> lines) {
        ObjectNode container = JSON.objectNode().put("type", "Container").put("style", "emphasis");
        ArrayNode items = container.putArray("items");
        for (String line : lines) {
            ObjectNode block = items.addObject().put("type", "RichTextBlock").put("spacing", "None");
            block.putArray("inlines").addObject().put("type", "TextRun")
                    .put("text", line.isEmpty() ? " " : line).put("fontType", "Monospace");
        }
        return container;
    }
}
