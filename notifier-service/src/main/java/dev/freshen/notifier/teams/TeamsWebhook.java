package dev.freshen.notifier.teams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.FreshenEvent;
import dev.freshen.notifier.JsonPost;
import dev.freshen.notifier.Notifier;

import java.util.Map;

/**
 * Posts the {@link TeamsCards} message for an event to a Teams Workflows webhook ("When a Teams webhook request is
 * received", answers 202) or a legacy Office 365 connector webhook (answers 200 {@code 1}).
 */
public final class TeamsWebhook implements Notifier {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonPost post;

    public TeamsWebhook(JsonPost post) {
        this.post = post;
    }

    @Override
    public String name() {
        return "teams";
    }

    @Override
    public void notify(FreshenEvent event) {
        try {
            post.send(MAPPER.writeValueAsBytes(TeamsCards.message(event)), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the Teams card for run " + event.runId(), e);
        }
    }
}
