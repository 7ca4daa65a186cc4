package dev.freshen.watcher.api;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.DescriptorProblem;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.Target;
import dev.freshen.events.WatchState;
import dev.freshen.events.image.ImageReference;
import dev.freshen.watcher.CheckOutcome;
import dev.freshen.watcher.ImageChecker;
import dev.freshen.watcher.ImageNotWatchedException;
import dev.freshen.watcher.PublishedVersions;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.api.RunViews.RunSummary;
import dev.freshen.watcher.schedule.Catalog;
import dev.freshen.watcher.schedule.WatchSchedule;
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
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The watcher's API: what is watched and how it stands, check an image now, force a rebuild. Image ids contain
 * slashes ({@code net10/runtime}) and are used as they are in the path.
 */
@Path("/api/v1/images")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "images", description = "Watched platform images: status, check now, force a rebuild")
public class ImagesResource {

    /**
     * One platform image: a watched one, or one whose descriptor is invalid ({@code state} {@code invalid}: not checked,
     * not built), which stays visible under its id with every problem and what it last published.
     *
     * @param state         {@code watched} or {@code invalid}
     * @param schedule      the cron it is checked on: its descriptor's, else the watcher's default; {@code null} while
     *                      invalid (it is not checked)
     * @param target        where it is published; for an invalid image as far as its descriptor still says
     * @param baseImages    the bases it is watched for; empty while invalid
     * @param lastCheck     the last check in this watcher's life, if any
     * @param lastPublished the newest published version, if known
     * @param problems      why it is invalid, in file order; empty when watched
     */
    public record ImageView(String id, WatchState state, String schedule, Target target, List<String> baseImages,
                            CheckOutcome lastCheck, RunSummary inFlightRun, RunSummary lastRun,
                            LastPublished lastPublished, List<ProblemView> problems) {
    }

    /** A published version: {@code image} ({@code <registry>/<repository>:<tag>@sha256:…}) and its version tag. */
    public record LastPublished(ImageReference image, String versionTag) {

        static LastPublished of(ImageReference image) {
            return new LastPublished(image, image.tag());
        }
    }

    /**
     * One problem of a descriptor: a stable {@code code}, what is wrong ({@code message}), what to do ({@code hint}),
     * and where ({@code file} relative to the platform-images root, {@code field}, 1-based {@code line} and
     * {@code column}, absent when not known).
     */
    public record ProblemView(String code, String message, String hint, String file, String field, Integer line,
                              Integer column) {

        static ProblemView of(DescriptorProblem p) {
            return new ProblemView(p.code(), p.message(), p.hint(), p.file(), p.field(), p.line() == 0 ? null : p.line(),
                    p.column() == 0 ? null : p.column());
        }
    }

    /** A descriptor that is not watched, and why (also shown as an image of state {@code invalid} when it has an id). */
    public record InvalidDescriptor(String file, String message) {
    }

    /**
     * All images, watched and invalid, and (as before, for older clients) the descriptors that are not watched.
     */
    public record ImageList(List<ImageView> images, List<InvalidDescriptor> invalidDescriptors) {
    }

    /** The answer to {@code check} or {@code force-update} of an image that is not watched: 409 with every problem. */
    public record NotWatched(String error, String code, String hint, List<ProblemView> problems) {
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

    @Inject
    WatchSchedule schedule;

    @Inject
    PublishedVersions published;

    @GET
    @Operation(summary = "Every watched image, and the descriptors that are not watched, with why")
    @APIResponse(responseCode = "200", description = "the images")
    public ImageList list() {
        var scan = catalog.get();
        Map<String, ImageView> views = new TreeMap<>();
        scan.images().values().forEach(image -> views.put(image.id(), view(image)));
        scan.errors().stream().filter(e -> e.imageId() != null && !views.containsKey(e.imageId()))
                .forEach(e -> views.put(e.imageId(), view(e)));
        return new ImageList(List.copyOf(views.values()),
                scan.errors().stream().map(e -> new InvalidDescriptor(e.file().toString(), e.getMessage())).toList());
    }

    @GET
    @Path("/{id: .+}")
    @Operation(summary = "One watched image")
    @APIResponse(responseCode = "200", description = "the image")
    @APIResponse(responseCode = "404", description = "not a watched image (no such folder, or its descriptor is invalid)")
    public ImageView get(@Parameter(description = "the image id, slashes as they are, e.g. net10/runtime")
                         @PathParam("id") String id) {
        var scan = catalog.get();
        return scan.image(id).map(this::view).or(() -> scan.error(id).map(this::view))
                .orElseThrow(() -> new UnknownImageException(id, null));
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

    /** 409: the image is there, but its descriptor is invalid; the body names every problem and what to do. */
    @ServerExceptionMapper
    public RestResponse<NotWatched> notWatched(ImageNotWatchedException e) {
        return RestResponse.status(Response.Status.CONFLICT, new NotWatched(e.getMessage(), ImageNotWatchedException.CODE,
                e.hint(), e.problems().stream().map(ProblemView::of).toList()));
    }

    private ImageView view(PlatformImage image) {
        Target target = image.descriptor().target();
        return new ImageView(image.id(), WatchState.WATCHED, schedule.scheduleOf(image), target,
                image.baseImages().stream().map(Object::toString).toList(),
                checker.lastOutcome(image.id()).orElse(null),
                ledger.inFlight(image.id()).map(RunSummary::of).orElse(null),
                ledger.lastEnded(image.id()).map(RunSummary::of).orElse(null),
                published.of(image.id(), target, false).map(LastPublished::of).orElse(null), List.of());
    }

    private ImageView view(DescriptorException invalid) {
        String id = invalid.imageId();
        Target target = invalid.target().orElse(null);
        return new ImageView(id, WatchState.INVALID, null, target, List.of(),
                checker.lastOutcome(id).orElse(null),
                ledger.inFlight(id).map(RunSummary::of).orElse(null),
                ledger.lastEnded(id).map(RunSummary::of).orElse(null),
                published.of(id, target, true).map(LastPublished::of).orElse(null),
                invalid.problems().stream().map(ProblemView::of).toList());
    }
}
