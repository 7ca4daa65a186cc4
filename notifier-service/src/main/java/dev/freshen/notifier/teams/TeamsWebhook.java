package dev.freshen.notifier.teams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.FreshenEvent;
import dev.freshen.notifier.JsonPost;
import dev.freshen.notifier.Notifier;

import java.util.Map;

/**
 * Posts the {@link TeamsCards} message for an event to a Teams webhook of the given {@link TeamsFlavor}: a Workflows
 * flow (success: any 2xx, normally {@code 202}) or a legacy Office 365 connector (success: {@code 200} with body
 * {@code 1}; see {@link LegacyWebhookAnswers}).
 */
public final class TeamsWebhook implements Notifier {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonPost post;
    private final TeamsFlavor flavor;

    public TeamsWebhook(JsonPost post, TeamsFlavor flavor) {
        this.post = post;
        this.flavor = flavor;
    }

    @Override
    public String name() {
        return "teams";
    }

    @Override
    public String describe() {
        return flavor == TeamsFlavor.LEGACY ? "teams, legacy webhook" : "teams, Workflows";
    }

    public TeamsFlavor flavor() {
        return flavor;
    }

    @Override
    public void notify(FreshenEvent event) {
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(TeamsCards.message(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the Teams card for run " + event.runId(), e);
        }
        post.send(body, Map.of(), flavor.rule());
    }
}
