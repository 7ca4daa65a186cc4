package dev.freshen.notifier.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.FreshenEvent;
import dev.freshen.notifier.JsonPost;
import dev.freshen.notifier.Notifier;

import java.util.Map;

/** Posts the {@link SlackBlocks} message for an event to a Slack incoming webhook (success: {@link SlackAnswers}). */
public final class SlackWebhook implements Notifier {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonPost post;

    public SlackWebhook(JsonPost post) {
        this.post = post;
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public void notify(FreshenEvent event) {
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(SlackBlocks.message(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the Slack message for run " + event.runId(), e);
        }
        post.send(body, Map.of(), SlackAnswers.RULE);
    }
}
