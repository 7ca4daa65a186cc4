package dev.freshen.watcher.api;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.ImageIds;
import dev.freshen.watcher.NotReadyException;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.UnknownRunException;
import dev.freshen.watcher.api.RunViews.RunDetail;
import dev.freshen.watcher.api.RunViews.RunList;
import dev.freshen.watcher.api.RunViews.RunSummary;
import dev.freshen.watcher.schedule.Catalog;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The runs the watcher's {@link RunLedger} knows, read from the event topics: recent ones, and one stage by stage. */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "runs", description = "Pipeline runs, stage by stage, as on the event topics")
public class RunsResource {

    static final int MAX_LIMIT = 500;
    private static final int DEFAULT_LIMIT = 20;
    private static final Pattern RUN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{3,63}");

    @Inject
    RunLedger ledger;

    @Inject
    Catalog catalog;

    @GET
    @Operation(summary = "Recent runs, newest first")
    @APIResponse(responseCode = "200", description = "the runs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunList.class)))
    @APIResponse(responseCode = "400", ref = WatcherApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = WatcherApiDefinition.UNKNOWN_IMAGE)
    public RunList list(@Parameter(description = "only runs of this platform image: a watched or invalid one, or one "
                                + "with runs on the topics", example = "net10/runtime")
                        @QueryParam("image") String image,
                        @Parameter(description = "at most this many runs", schema = @Schema(type = SchemaType.INTEGER,
                                minimum = "1", maximum = "500", defaultValue = "20"))
                        @QueryParam("limit") String limit) {
        int max = limit(limit);
        if (image != null) {
            try {
                ImageIds.validate(image);
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badImageId(e.getMessage());
            }
        }
        List<RunSummary> runs = ledger.recent(image, max).stream().map(RunSummary::of).toList();
        PlatformImageCatalog.Scan scan = catalog.get();
        if (image != null && runs.isEmpty() && scan.image(image).isEmpty() && scan.error(image).isEmpty()) {
            throw ApiProblem.unknownImage(image, "unknown platform image '" + image + "'", ids(scan));
        }
        return new RunList(runs);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One run with its stages: state, trigger, each stage's time and facts, the outcome")
    @APIResponse(responseCode = "200", description = "the run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunDetail.class)))
    @APIResponse(responseCode = "400", ref = WatcherApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = WatcherApiDefinition.UNKNOWN_RUN)
    @APIResponse(responseCode = "503", ref = WatcherApiDefinition.NOT_READY)
    public RunDetail get(@Parameter(description = "the run id", example = "f-3c9e1a0b7d2e4f5a6b7c8d9e") @PathParam("id") String id) {
        if (!RUN_ID.matcher(id).matches()) {
            throw ApiProblem.badRunId(id);
        }
        return ledger.run(id).map(RunDetail::of).orElseThrow(() -> ledger.complete() ? new UnknownRunException(id)
                : new NotReadyException("the run ledger is still reading the run topics"));
    }

    /** Every image id the watcher knows, watched or invalid: the ones an unknown id may be near. */
    static List<String> ids(PlatformImageCatalog.Scan scan) {
        return Stream.concat(scan.images().keySet().stream(),
                scan.errors().stream().map(DescriptorException::imageId).filter(Objects::nonNull)).distinct().sorted().toList();
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.badParameter("limit must be a number between 1 and " + MAX_LIMIT + ", was '" + text + "'",
                    "leave limit out for the newest " + DEFAULT_LIMIT + " runs");
        }
        return limit;
    }
}
