package dev.freshen.notifier.slack;

import dev.freshen.notifier.Answer;
import dev.freshen.notifier.AnswerRule;
import dev.freshen.notifier.Verdict;

import java.util.Map;

/**
 * How a Slack incoming webhook says whether it posted the message. Success is {@code 200} with the body {@code ok}
 * (Slack's docs and its Python SDK, which asserts exactly that). Errors come with a 4xx status and a short code as the
 * body (Slack changelog 2016-05-17 "Improving error conditions for Incoming Webhooks", and the "Handling errors"
 * table of "Sending messages using incoming webhooks"), e.g. {@code 400 invalid_payload}, {@code 403
 * action_prohibited}, {@code 404 channel_not_found}, {@code 410 channel_is_archived}: the same post would get the same
 * answer, so they fail at once, with what the code means. {@code 429} (Slack's rate limit, with {@code Retry-After}),
 * a {@code rate_limited} body and 5xx ({@code 500 rollup_error}: "likely not your fault") are retried. A {@code 200}
 * whose body is not {@code ok} is not Slack's answer (a proxy, a login page, a URL that is not a Slack webhook): it
 * fails without a retry, which would only post again.
 */
public final class SlackAnswers {

    /** The rule above. */
    public static final AnswerRule RULE = SlackAnswers::judge;

    private static final String SUCCESS = "ok";
    private static final String GONE = "the webhook was disabled or removed: create a new incoming webhook and update "
            + "the channel's url";
    private static final String REFUSED = "Slack refused the message itself";
    private static final Map<String, String> CODES = Map.ofEntries(
            Map.entry("invalid_payload", REFUSED),
            Map.entry("user_not_found", REFUSED),
            Map.entry("no_text", REFUSED),
            Map.entry("too_many_attachments", REFUSED),
            Map.entry("channel_not_found", "the webhook's channel no longer exists: create a new incoming webhook for "
                    + "the channel and update the channel's url"),
            Map.entry("channel_is_archived", "the webhook's channel is archived: unarchive it or create a new incoming "
                    + "webhook"),
            Map.entry("action_prohibited", "a workspace admin restricts posting there"),
            Map.entry("posting_to_general_channel_denied", "a workspace admin restricts posting to #general"),
            Map.entry("no_service", GONE),
            Map.entry("no_service_id", GONE),
            Map.entry("no_active_hooks", GONE),
            Map.entry("invalid_token", GONE),
            Map.entry("no_team", "the Slack workspace is unknown or disabled"),
            Map.entry("team_disabled", "the Slack workspace is unknown or disabled"),
            Map.entry("rate_limited", "Slack's rate limit"));

    private SlackAnswers() {
    }

    static Verdict judge(Answer answer) {
        String body = answer.body().strip();
        if (answer.successful()) {
            return body.equals(SUCCESS) ? Verdict.accepted()
                    : Verdict.fail("not Slack's answer: an incoming webhook answers ok once it has posted the message; "
                            + "check that the channel's url is the webhook URL Slack gave");
        }
        Verdict verdict = body.equals("rate_limited") ? Verdict.retry(null) : Verdict.byStatus(answer.status());
        String meaning = CODES.get(body);
        return meaning == null ? verdict : verdict.because(meaning);
    }
}
