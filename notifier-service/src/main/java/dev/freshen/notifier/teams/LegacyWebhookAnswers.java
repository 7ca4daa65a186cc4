package dev.freshen.notifier.teams;

import dev.freshen.notifier.Answer;
import dev.freshen.notifier.AnswerRule;
import dev.freshen.notifier.Verdict;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a legacy Teams incoming webhook (an Office 365 connector,
 * {@code https://<tenant>.webhook.office.com/webhookb2/…}) says whether it posted the card. It answers {@code 200} as
 * soon as it has the request and reports the outcome in the body, as Microsoft's engineers explain
 * (MicrosoftDocs/msteams-docs#4145, #1810, #9698): only a number of messages posted, in practice {@code 1}, means
 * success; throttling, a removed channel or an oversized card come back as {@code 200} with a text such as
 * {@code Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId …}
 * (#7425, #400), and connectors "return 200 for what they think are retry-able" (#9698).
 *
 * <p>The rule, in order:
 * <ol>
 *   <li>not 2xx: plain HTTP ({@link Verdict#byStatus}); e.g. {@code 400 Summary or Text is required.} or
 *       {@code 400 Bad payload received by generic incoming webhook.} fail, 429 and 5xx are retried;</li>
 *   <li>2xx with the body {@code 1}: accepted (what atc0005/go-teams-notify also requires);</li>
 *   <li>2xx with {@code … returned HTTP error <status> …}: the embedded status read as HTTP: 408, 425, 429 and 5xx
 *       are retried (same backoff as a real 429), other 4xx (400 bad card, 403, 404 channel gone, 413 card too
 *       large) fail at once;</li>
 *   <li>any other 2xx body (e.g. {@code Webhook message delivery failed with error: Error contacting Microsoft Teams
 *       endpoint}, a token-service error, an empty body): not confirmed, retried.</li>
 * </ol>
 */
public final class LegacyWebhookAnswers {

    /** The rule above. */
    public static final AnswerRule RULE = LegacyWebhookAnswers::judge;

    private static final String SUCCESS = "1";
    private static final String CONNECTOR_ERROR = "Webhook message delivery failed with error:";
    private static final Pattern EMBEDDED_STATUS = Pattern.compile("returned HTTP error (\\d{3})\\b");

    private LegacyWebhookAnswers() {
    }

    static Verdict judge(Answer answer) {
        if (!answer.successful()) {
            return Verdict.byStatus(answer.status());
        }
        String body = answer.body().strip();
        if (body.equals(SUCCESS)) {
            return Verdict.accepted();
        }
        Matcher embedded = EMBEDDED_STATUS.matcher(body);
        if (embedded.find()) {
            int status = Integer.parseInt(embedded.group(1));
            Verdict reported = Verdict.byStatus(status);
            if (reported.kind() == Verdict.Kind.FAIL) {
                return Verdict.fail("Teams did not post the card: it reports HTTP " + status + meaning(status)
                        + ", which sending it again will not change");
            }
            return Verdict.retry("Teams did not post the card: it reports HTTP " + status + meaning(status));
        }
        if (body.startsWith(CONNECTOR_ERROR)) {
            return Verdict.retry("Teams did not post the card");
        }
        return Verdict.retry("not confirmed: a legacy Teams webhook answers 1 once it has posted the card");
    }

    /** True when {@code answer} is an Office 365 connector's "delivery failed" text (only legacy webhooks send it). */
    static boolean isConnectorError(Answer answer) {
        return answer.body().strip().startsWith(CONNECTOR_ERROR);
    }

    private static String meaning(int status) {
        return switch (status) {
            case 400 -> " (the card was refused)";
            case 403, 404, 410 -> " (the webhook or its channel is gone: create a Workflows webhook for the channel)";
            case 413 -> " (the card is too large)";
            case 429 -> " (too many requests: throttled)";
            default -> "";
        };
    }
}
