package dev.freshen.watcher.api;

import dev.freshen.watcher.NotReadyException;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.UnknownRunException;
import dev.freshen.watcher.api.RunViews.RunDetail;
import dev.freshen.watcher.api.RunViews.RunList;
import dev.freshen.watcher.api.RunViews.RunSummary;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.regex.Pattern;

/** The runs the watcher's {@link RunLedger} knows, read from the event topics: recent ones, and one stage by stage. */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "runs", description = "Pipeline runs, stage by stage, as on the event topics")
public class RunsResource {

    static final int MAX_LIMIT = 500;
    private static final Pattern RUN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{3,63}");

    @Inject
    RunLedger ledger;

    @GET
    @Operation(summary = "Recent runs, newest first")
    @APIResponse(responseCode = "200", description = "the runs")
    @APIResponse(responseCode = "400", description = "limit out of range")
    public RunList list(@Parameter(description = "only runs of this platform image, e.g. net10/runtime")
                        @QueryParam("image") String image,
                        @Parameter(description = "at most this many runs (1 to 500)")
                        @QueryParam("limit") @DefaultValue("20") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return new RunList(ledger.recent(image, limit).stream().map(RunSummary::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One run with its stages: state, trigger, each stage's time and facts, the outcome")
    @APIResponse(responseCode = "200", description = "the run")
    @APIResponse(responseCode = "400", description = "not a run id")
    @APIResponse(responseCode = "404", description = "no such run on the event topics")
    @APIResponse(responseCode = "503", description = "the run ledger is still reading the topics")
    public RunDetail get(@Parameter(description = "the run id, e.g. f-3c9e1a0b7d2e4f5a6b7c8d9e") @PathParam("id") String id) {
        if (!RUN_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + id + "' is not a run id (4-64 lowercase letters, digits or '-', "
                    + "like f-3c9e1a0b7d2e4f5a6b7c8d9e)");
        }
        return ledger.run(id).map(RunDetail::of).orElseThrow(() -> ledger.complete() ? new UnknownRunException(id)
                : new NotReadyException("the run ledger is still reading the run topics; try again shortly"));
    }
}
