package dev.freshen.notifier.teams;

import dev.freshen.notifier.AnswerRule;
import dev.freshen.notifier.Verdict;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The two kinds of Teams webhook, which say "posted" differently. A channel's flavor is its
 * {@code freshen.notifier.channels.<name>.flavor} when set, else what its URL's host says ({@link #ofHost}).
 */
public enum TeamsFlavor {

    /**
     * A Workflows (Power Automate) flow started by "When a Teams webhook request is received"
     * ({@code https://prod-NN.<region>.logic.azure.com/workflows/…} or
     * {@code https://….api.powerplatform.com/…}).
     * Its trigger answers {@code 202 Accepted} once the flow run has started; a flow that ends with a Response action
     * answers what that action says (often {@code 200}). Any 2xx is therefore success: the flow took the card, and
     * what it does next is the flow's own business. Other statuses are read as plain HTTP. A body that is a legacy
     * connector's "delivery failed" text (a legacy URL behind a proxy, flavor not set) is read with the legacy rule.
     */
    WORKFLOWS(answer -> LegacyWebhookAnswers.isConnectorError(answer)
            ? LegacyWebhookAnswers.RULE.judge(answer) : Verdict.byStatus(answer.status())),

    /** An Office 365 connector incoming webhook (retired by Microsoft): see {@link LegacyWebhookAnswers}. */
    LEGACY(LegacyWebhookAnswers.RULE);

    private final AnswerRule rule;

    TeamsFlavor(AnswerRule rule) {
        this.rule = rule;
    }

    public AnswerRule rule() {
        return rule;
    }

    /** {@code workflows} or {@code legacy}, as the setting writes it. */
    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The flavor a setting names; empty for anything else. */
    public static Optional<TeamsFlavor> ofSetting(String value) {
        for (TeamsFlavor flavor : values()) {
            if (flavor.setting().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(flavor);
            }
        }
        return Optional.empty();
    }

    /**
     * The flavor a URL's host belongs to, when it is one of Microsoft's: {@code outlook.office.com},
     * {@code outlook.office365.com} and {@code *.webhook.office.com} (also {@code *.webhook.office365.com}) are legacy
     * connectors; {@code *.logic.azure.com} and {@code *.api.powerplatform.com} are Workflows. Empty for other hosts
     * (a proxy, a test double), which are taken as Workflows unless the setting says otherwise.
     */
    public static Optional<TeamsFlavor> ofHost(URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("outlook.office.com") || host.equals("outlook.office365.com")
                || host.endsWith(".webhook.office.com") || host.endsWith(".webhook.office365.com")) {
            return Optional.of(LEGACY);
        }
        if (host.endsWith(".logic.azure.com") || host.endsWith(".api.powerplatform.com")) {
            return Optional.of(WORKFLOWS);
        }
        return Optional.empty();
    }
}
