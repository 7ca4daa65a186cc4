package dev.freshen.watcher.api;

import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.Target;
import dev.freshen.watcher.CheckOutcome;
import dev.freshen.watcher.ImageChecker;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.api.RunViews.RunSummary;
import dev.freshen.watcher.schedule.Catalog;
import dev.freshen.watcher.UnknownImageException;
import io.smallrye.common.annotation.Blocking;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * The watcher's API: what is watched and how it stands, check an image now, force a rebuild. Image ids contain
 * slashes ({@code net10/runtime}) and are used as they are in the path.
 */
@Path("/api/v1/images")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "images", description = "Watched platform images: status, check now, force a rebuild")
public class ImagesResource {

    /** One watched image. */
    public record ImageView(String id, String schedule, Target target, List<String> baseImages, CheckOutcome lastCheck,
                            RunSummary inFlightRun, RunSummary lastRun) {
    }

    /** A descriptor that is not watched, and why. */
    public record InvalidDescriptor(String file, String message) {
    }

    /** All watched images, and the descriptors that are not. */
    public record ImageList(List<ImageView> images, List<InvalidDescriptor> invalidDescriptors) {
    }

    /** Optional body of a force-update. */
    public record ForceUpdateBody(String reason) {
    }

    /** The run a force-update started. */
    public record RunAccepted(String runId, String imageId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Catalog catalog;

    @Inject
    ImageChecker checker;

    @Inject
    RunLedger ledger;

    @GET
    @Operation(summary = "Every watched image, and the descriptors that are not watched, with why")
    @APIResponse(responseCode = "200", description = "the images")
    public ImageList list() {
        var scan = catalog.get();
        return new ImageList(scan.images().values().stream().map(this::view).toList(),
                scan.errors().stream().map(e -> new InvalidDescriptor(e.file().toString(), e.getMessage())).toList());
    }

    @GET
    @Path("/{id: .+}")
    @Operation(summary = "One watched image")
    @APIResponse(responseCode = "200", description = "the image")
    @APIResponse(responseCode = "404", description = "not a watched image (no such folder, or its descriptor is invalid)")
    public ImageView get(@Parameter(description = "the image id, slashes as they are, e.g. net10/runtime")
                         @PathParam("id") String id) {
        return catalog.get().image(id).map(this::view).orElseThrow(() -> new UnknownImageException(id, null));
    }

    @POST
    @Path("/{id: .+}/check")
    @Operation(summary = "Check the image's bases upstream now; starts a run when one moved (needs the API key)")
    @APIResponse(responseCode = "200", description = "the outcome: UP_TO_DATE, RUN_STARTED, RUN_EXISTS, NO_BASES or ERROR")
    @APIResponse(responseCode = "401", description = "no or wrong API key")
    @APIResponse(responseCode = "404", description = "not a watched image")
    @APIResponse(responseCode = "503", description = "the run ledger is still reading the topics")
    public CheckOutcome check(@PathParam("id") String id) {
        return checker.check(id);
    }

    @POST
    @Path("/{id: .+}/force-update")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Rebuild the image now, whatever its bases (needs the API key)")
    @APIResponse(responseCode = "202", description = "the run started: {\"runId\", \"imageId\"}")
    @APIResponse(responseCode = "400", description = "the body is neither empty nor {\"reason\": \"...\"}")
    @APIResponse(responseCode = "401", description = "no or wrong API key")
    @APIResponse(responseCode = "404", description = "not a watched image")
    public Response forceUpdate(@PathParam("id") String id,
                                @RequestBody(description = "optional: {\"reason\": \"...\"}") String body) {
        var event = checker.forceUpdate(id, reason(body), "api");
        return Response.accepted(new RunAccepted(event.runId(), id)).build();
    }

    /** The body is optional: none, or {@code {"reason": "..."}}. */
    private static String reason(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(body, ForceUpdateBody.class).reason();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body must be empty or {\"reason\": \"...\"}: " + e.getOriginalMessage());
        }
    }

    private ImageView view(PlatformImage image) {
        return new ImageView(image.id(), image.descriptor().schedule(), image.descriptor().target(),
                image.baseImages().stream().map(Object::toString).toList(),
                checker.lastOutcome(image.id()).orElse(null),
                ledger.inFlight(image.id()).map(RunSummary::of).orElse(null),
                ledger.lastEnded(image.id()).map(RunSummary::of).orElse(null));
    }
}
