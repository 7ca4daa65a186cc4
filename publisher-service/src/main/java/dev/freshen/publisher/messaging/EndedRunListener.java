package dev.freshen.publisher.messaging;

import dev.freshen.events.EventJson;
import dev.freshen.events.InvalidEventException;
import dev.freshen.events.PipelineFailed;
import dev.freshen.publisher.CandidateCleanup;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Follows {@code freshen.pipeline-failed} (channel {@value #CHANNEL}, its own consumer group) and hands each failure
 * to the {@link CandidateCleanup}, which deletes the candidate of a run that failed in test or publish. A record that
 * is not a readable {@code PipelineFailed} is skipped: the notifier dead-letters it, this is only clean-up.
 */
@ApplicationScoped
public class EndedRunListener {

    static final String CHANNEL = "freshen.publisher.ended-runs";
    private static final Logger LOG = Logger.getLogger(EndedRunListener.class);

    private final CandidateCleanup cleanup;

    @Inject
    public EndedRunListener(CandidateCleanup cleanup) {
        this.cleanup = cleanup;
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> onPipelineFailed(Message<byte[]> message) {
        try {
            cleanup.afterFailed(EventJson.read(message.getPayload(), PipelineFailed.class));
        } catch (InvalidEventException e) {
            LOG.debugf("Skipping a pipeline-failed record that cannot be read: %s", e.getMessage());
        }
        return message.ack();
    }
}
