package dev.freshen.watcher.api;

import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImageIds;
import dev.freshen.events.RunIds;
import dev.freshen.watcher.messaging.WatcherEvents;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** {@code POST /api/v1/images/{id}/force-update}: rebuild an image now, whatever its base. */
@Path("/api/v1/images")
public class ForceUpdateResource {

    private static final Logger LOG = Logger.getLogger(ForceUpdateResource.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    /** Optional request body. */
    public record ForceUpdateBody(String reason) {
    }

    /** The answer: the run that will rebuild the image. */
    public record RunAccepted(String runId, String imageId) {
    }

    @Inject
    WatcherEvents events;

    @Inject
    Clock clock;

    @POST
    @Path("/{id: .+}/force-update")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> forceUpdate(@PathParam("id") String imageId, ForceUpdateBody body) {
        try {
            ImageIds.validate(imageId);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        String reason = body == null ? null : body.reason();
        var event = new ForceUpdateRequested(RunIds.forced(), imageId, 1, clock.instant(), reason, "api");
        return events.send(event).toCompletableFuture()
                .orTimeout(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .thenApply(sent -> {
                    LOG.infof("Run %s (%s): forced through the API, reason: %s", event.runId(), imageId, reason);
                    return Response.accepted(new RunAccepted(event.runId(), imageId)).build();
                });
    }
}
