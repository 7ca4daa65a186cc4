package dev.freshen.watcher.api;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.DescriptorProblem;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.Target;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.WatchState;
import dev.freshen.events.image.ImageReference;
import dev.freshen.watcher.CheckHealth;
import dev.freshen.watcher.ChainGuard;
import dev.freshen.watcher.ChainStatus;
import dev.freshen.watcher.CheckOutcome;
import dev.freshen.watcher.ImageChecker;
import dev.freshen.watcher.PublishedVersions;
import dev.freshen.watcher.RollbackPlanner;
import dev.freshen.watcher.Rollbacks;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.api.RunViews.RunSummary;
import dev.freshen.watcher.schedule.Catalog;
import dev.freshen.watcher.schedule.WatchSchedule;
import dev.freshen.watcher.UnknownImageException;
import io.smallrye.common.annotation.Blocking;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The watcher's API: what is watched and how it stands, check an image now, force a rebuild, roll back. Image ids contain
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
     * @param baseImages    the bases it is watched for (a base written with tag and digest is watched by its tag);
     *                      empty while invalid
     * @param pinnedBases   the bases its Dockerfile pins by digest alone ({@code name@sha256:…}): read as written,
     *                      pinned, not watched; empty while invalid
     * @param lastCheck     the last check in this watcher's life, if any
     * @param lastPublished the newest published version, if known
     * @param problems      why it is invalid, in file order; empty when watched
     * @param rolledBack    the rollback that holds the moving tags on an older version now; absent when none does
     * @param checkHealth   whether its checks pass, or fail, and since when
     * @param chain         the watched images it is built FROM and that are built FROM it, and whether a change of it
     *                      starts now ({@code ready}), waits on an ancestor's run, settle or first publish
     *                      ({@code waiting}) or is held by an ancestor's failed run ({@code held}); {@code null} while
     *                      invalid
     */
    @Schema(requiredProperties = {"id", "state", "baseImages", "pinnedBases", "problems", "checkHealth"})
    public record ImageView(String id, WatchState state, String schedule, Target target, List<String> baseImages,
                            List<String> pinnedBases,
                            CheckOutcome lastCheck, RunSummary inFlightRun, RunSummary lastRun,
                            LastPublished lastPublished, List<ProblemView> problems, RolledBack rolledBack,
                            CheckHealthView checkHealth, ChainView chain) {
    }

    /**
     * Where an image stands among images built on each other (read from the runs and the last checks, no registry call).
     *
     * @param parents  the watched images its FROM lines name, by id
     * @param children the watched images built directly FROM it, by id
     * @param state    {@code ready}, {@code waiting} (an ancestor's run in flight, change settling or first publish to
     *                 come) or {@code held} (an ancestor's newest run failed)
     * @param waitsOn  the ancestor it waits on: {@code imageId}, {@code runId} (absent when none) and {@code state}
     *                 ({@code in-flight}, {@code failed}, {@code settling}, {@code never-published}); absent when ready
     */
    @Schema(requiredProperties = {"parents", "children", "state"})
    public record ChainView(List<String> parents, List<String> children,
                            @Schema(enumeration = {"ready", "waiting", "held"}) String state, ChainGuard.Hold waitsOn) {

        static ChainView of(ChainStatus.ChainView view) {
            return new ChainView(view.parents(), view.children(), view.state(), view.waitsOn());
        }
    }

    /**
     * How an image's checks stand.
     *
     * @param state               {@code ok} (the last check passed, or none ran yet), {@code failed} (the last checks
     *                            failed, fewer in a row than {@code threshold}: not announced) or {@code failing}
     *                            (announced with {@code ChecksFailed}; until a check passes)
     * @param failingSince        when the first failed check of the streak ran; null when {@code ok}
     * @param consecutiveFailures failed checks in a row (0 when {@code ok}); after a watcher restart, an announced
     *                            streak goes on from the count it was announced with
     * @param threshold           failed checks in a row that make an image {@code failing}
     *                            ({@code freshen.watcher.checks-failing-after})
     * @param code                the last failure's problem code ({@code base-image-missing}, {@code registry-auth-failed},
     *                            {@code registry-unreachable}, {@code registry-error}, {@code check-failed})
     * @param reason              the last failure's reason
     * @param lastFailedAt        when the last failed check ran
     */
    @Schema(requiredProperties = {"state", "consecutiveFailures", "threshold"})
    public record CheckHealthView(@Schema(enumeration = {"ok", "failed", "failing"}) String state, Instant failingSince,
                                  int consecutiveFailures, int threshold, String code, String reason,
                                  Instant lastFailedAt) {

        static CheckHealthView of(CheckHealth health, String imageId) {
            CheckHealth.Status status = imageId == null ? CheckHealth.Status.OK : health.status(imageId);
            String state = status.failing() ? "failing" : status.consecutiveFailures() > 0 ? "failed" : "ok";
            return new CheckHealthView(state, status.failingSince(), status.consecutiveFailures(), health.threshold(),
                    status.code(), status.reason(), status.lastFailedAt());
        }
    }

    /**
     * The moving tags name an older version because an operator rolled them back; the next publish moves them forward.
     *
     * @param rollbackId  the rollback's id ({@code r-…})
     * @param image       where the moving tags are: {@code <registry>/<repository>:<version tag>@sha256:…}
     * @param fromVersion the version they named before
     * @param tags        the moving tags
     * @param requestedBy who asked ({@code api:<key name>})
     * @param reason      why, if given
     * @param at          when the tags moved
     * @param summary     {@code rolled back to <version> by <who>: <why>}
     */
    @Schema(requiredProperties = {"rollbackId", "image", "tags", "requestedBy", "at", "summary"})
    public record RolledBack(String rollbackId, ImageReference image, String fromVersion, List<String> tags,
                             String requestedBy, String reason, Instant at, String summary) {

        static RolledBack of(ImageRolledBack e) {
            return new RolledBack(e.runId(), e.to(), e.from().tag(), e.tags(), e.requestedBy(), e.reason(),
                    e.occurredAt(), Rollbacks.describe(e));
        }
    }

    /** Optional body of a rollback. */
    @Schema(description = "optional body of a rollback", additionalProperties = Schema.False.class)
    public record RollbackBody(@Schema(description = "the version to roll back to: a version tag or its number; "
            + "default the version before the one the moving tags name", examples = "10.0-noble-1.4.0") String to,
                               @Schema(description = "why, shown in the card and in status",
                                       examples = "1.5.0 breaks TLS to the payment provider") String reason) {
    }

    /** The rollback a request asked for; its outcome is {@code ImageRolledBack} or {@code PipelineFailed}. */
    @Schema(requiredProperties = {"rollbackId", "imageId", "toVersion"})
    public record RollbackAccepted(@Schema(examples = "r-3c9e1a0b7d2e4f5a6b7c8d9e") String rollbackId,
                                   @Schema(examples = "net10/runtime") String imageId,
                                   @Schema(examples = "10.0-noble-1.5.0") String fromVersion,
                                   @Schema(examples = "10.0-noble-1.4.0") String toVersion) {
    }

    /** A published version: {@code image} ({@code <registry>/<repository>:<tag>@sha256:…}) and its version tag. */
    @Schema(requiredProperties = {"image", "versionTag"})
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
    @Schema(requiredProperties = {"code", "message"})
    public record ProblemView(String code, String message, String hint, String file, String field, Integer line,
                              Integer column) {

        static ProblemView of(DescriptorProblem p) {
            return new ProblemView(p.code(), p.message(), p.hint(), p.file(), p.field(), p.line() == 0 ? null : p.line(),
                    p.column() == 0 ? null : p.column());
        }
    }

    /** A descriptor that is not watched, and why (also shown as an image of state {@code invalid} when it has an id). */
    @Schema(requiredProperties = {"file", "message"})
    public record InvalidDescriptor(String file, String message) {
    }

    /**
     * All images, watched and invalid, and (as before, for older clients) the descriptors that are not watched.
     */
    @Schema(requiredProperties = {"images", "invalidDescriptors"})
    public record ImageList(List<ImageView> images, List<InvalidDescriptor> invalidDescriptors) {
    }

    /** Optional body of a force-update. */
    @Schema(description = "optional body of a force-update", additionalProperties = Schema.False.class)
    public record ForceUpdateBody(@Schema(description = "why, shown in the run and the notification",
            examples = "CVE-2026-1234 in openssl") String reason) {
    }

    /** The run a force-update started. */
    @Schema(requiredProperties = {"runId", "imageId"})
    public record RunAccepted(@Schema(examples = "f-3c9e1a0b7d2e4f5a6b7c8d9e") String runId,
                              @Schema(examples = "net10/runtime") String imageId) {
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

    @Inject
    ApiKeys apiKeys;

    @Inject
    RollbackPlanner rollbacks;

    @Inject
    Rollbacks rolledBack;

    @Inject
    CheckHealth checkHealth;

    @GET
    @Operation(summary = "Every watched image, and the descriptors that are not watched, with why")
    @APIResponse(responseCode = "200", description = "the images",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImageList.class)))
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
    @Operation(summary = "One image: watched, or invalid with every problem of its descriptor")
    @APIResponse(responseCode = "200", description = "the image",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImageView.class)))
    @APIResponse(responseCode = "400", ref = WatcherApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = WatcherApiDefinition.UNKNOWN_IMAGE)
    public ImageView get(@Parameter(description = "the image id, slashes as they are", example = "net10/runtime")
                         @PathParam("id") String id) {
        var scan = catalog.get();
        return scan.image(id).map(this::view).or(() -> scan.error(id).map(this::view))
                .orElseThrow(() -> new UnknownImageException(id, null));
    }

    @POST
    @Path("/{id: .+}/check")
    @Operation(summary = "Check the image's bases upstream and its definition now; starts a run when a base moved or "
            + "the definition changed (needs an API key)")
    @SecurityRequirement(name = WatcherApiDefinition.API_KEY)
    @APIResponse(responseCode = "200", description = "the outcome: UP_TO_DATE, RUN_STARTED, RUN_EXISTS, SETTLING, "
            + "AWAITING_RELEASE, NO_BASES or ERROR; definition: the definition on disk against the published one",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CheckOutcome.class)))
    @APIResponse(responseCode = "400", ref = WatcherApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = WatcherApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = WatcherApiDefinition.UNKNOWN_IMAGE)
    @APIResponse(responseCode = "409", ref = WatcherApiDefinition.NOT_WATCHED)
    @APIResponse(responseCode = "503", ref = WatcherApiDefinition.NOT_READY)
    public CheckOutcome check(@Parameter(description = "the image id, slashes as they are", example = "net10/runtime")
                              @PathParam("id") String id) {
        return checker.check(id);
    }

    @POST
    @Path("/{id: .+}/force-update")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Rebuild the image now, whatever its bases (needs an API key); the run is recorded as "
            + "requested by api:<key name>")
    @SecurityRequirement(name = WatcherApiDefinition.API_KEY)
    @RequestBody(required = false, description = "none, or {\"reason\": \"...\"}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ForceUpdateBody.class)))
    @APIResponse(responseCode = "202", description = "the run started; follow it with GET /api/v1/runs/{runId}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunAccepted.class)))
    @APIResponse(responseCode = "400", ref = WatcherApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = WatcherApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = WatcherApiDefinition.UNKNOWN_IMAGE)
    @APIResponse(responseCode = "409", ref = WatcherApiDefinition.NOT_WATCHED)
    @APIResponse(responseCode = "415", ref = WatcherApiDefinition.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "503", ref = WatcherApiDefinition.NOT_READY)
    public Response forceUpdate(@Parameter(description = "the image id, slashes as they are", example = "net10/runtime")
                                @PathParam("id") String id,
                                @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                String body) {
        String reason = reason(contentType, body);
        var event = checker.forceUpdate(id, reason, ApiKeyFilter.caller(apiKeys, authorization));
        return Response.accepted(new RunAccepted(event.runId(), id)).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @POST
    @Path("/{id: .+}/rollback")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Move the image's moving tags (latest, 10.0, …) back to an earlier published version, without "
            + "rebuilding (needs an API key); recorded as requested by api:<key name>. The publisher moves them and "
            + "answers ImageRolledBack (or PipelineFailed); the next publish moves them forward again")
    @SecurityRequirement(name = WatcherApiDefinition.API_KEY)
    @RequestBody(required = false, description = "none, or {\"to\": \"<version>\", \"reason\": \"...\"}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RollbackBody.class)))
    @APIResponse(responseCode = "202", description = "the rollback was handed to the publisher",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RollbackAccepted.class)))
    @APIResponse(responseCode = "400", ref = WatcherApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = WatcherApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = WatcherApiDefinition.UNKNOWN_IMAGE)
    @APIResponse(responseCode = "409", description = "nothing to roll back to, the version is not published or the "
            + "moving tags name it already (rollback-…), or the image is not watched (image-not-watched)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", ref = WatcherApiDefinition.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "502", description = "the target registry could not be read (registry-unavailable)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", ref = WatcherApiDefinition.NOT_READY)
    public Response rollback(@Parameter(description = "the image id, slashes as they are", example = "net10/runtime")
                             @PathParam("id") String id,
                             @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                             String body) {
        Map<String, String> fields = fields(contentType, body, List.of("to", "reason"),
                "send {\"to\": \"<version>\", \"reason\": \"why\"} with Content-Type: application/json, or no body");
        var event = rollbacks.request(id, fields.get("to"), fields.get("reason"), ApiKeyFilter.caller(apiKeys, authorization));
        return Response.accepted(new RollbackAccepted(event.runId(), id, event.fromVersion(), event.toVersion()))
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * The body is optional: none (whatever the content type: some clients send one with an empty body), or
     * {@code {"reason": "..."}} as JSON (the reason may be null).
     */
    static String reason(String contentType, String body) {
        return fields(contentType, body, List.of("reason"),
                "send {\"reason\": \"why\"} with Content-Type: application/json, or no body").get("reason");
    }

    /**
     * An optional JSON object body of string fields, each among {@code known}: none (whatever the content type), or
     * an object whose fields are strings or null; blank strings read as absent.
     */
    static Map<String, String> fields(String contentType, String body, List<String> known, String hint) {
        Map<String, String> fields = new HashMap<>();
        if (body == null || body.isBlank()) {
            return fields;
        }
        if (contentType != null && !isJson(contentType)) {
            throw ApiProblem.of(415, "unsupported-media-type", "Body type not supported", "the body is "
                    + contentType.replaceAll(";.*", "").strip() + "; this endpoint takes JSON", hint);
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw ApiProblem.badBody("the body is not JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")"), hint);
        }
        if (!json.isObject()) {
            throw ApiProblem.badBody("the body must be a JSON object, is " + json.getNodeType().name().toLowerCase(java.util.Locale.ROOT), hint);
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiProblem.badBody("the body has an unknown field '" + name + "'", hint);
            }
            JsonNode value = json.get(name);
            if (value.isNull()) {
                continue;
            }
            if (!value.isTextual()) {
                throw ApiProblem.badBody("'" + name + "' must be a string, is " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT), hint);
            }
            if (!value.asText().isBlank()) {
                fields.put(name, value.asText());
            }
        }
        return fields;
    }

    private static boolean isJson(String contentType) {
        try {
            MediaType type = MediaType.valueOf(contentType);
            return type.getType().equals("application")
                    && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private ImageView view(PlatformImage image) {
        Target target = image.descriptor().target();
        return new ImageView(image.id(), WatchState.WATCHED, schedule.scheduleOf(image), target,
                image.baseImages().stream().map(Object::toString).toList(),
                image.pinnedBases().stream().map(Object::toString).toList(),
                checker.lastOutcome(image.id()).orElse(null),
                ledger.inFlight(image.id()).map(RunSummary::of).orElse(null),
                ledger.lastEnded(image.id()).map(RunSummary::of).orElse(null),
                published.of(image.id(), target, false).map(LastPublished::of).orElse(null), List.of(),
                rolledBack.current(image.id()).map(RolledBack::of).orElse(null),
                CheckHealthView.of(checkHealth, image.id()),
                ChainView.of(new ChainStatus(catalog, checker.guard(), checker::lastOutcome).of(image.id())));
    }

    private ImageView view(DescriptorException invalid) {
        String id = invalid.imageId();
        Target target = invalid.target().orElse(null);
        return new ImageView(id, WatchState.INVALID, null, target, List.of(), List.of(),
                checker.lastOutcome(id).orElse(null),
                ledger.inFlight(id).map(RunSummary::of).orElse(null),
                ledger.lastEnded(id).map(RunSummary::of).orElse(null),
                published.of(id, target, true).map(LastPublished::of).orElse(null),
                invalid.problems().stream().map(ProblemView::of).toList(),
                id == null ? null : rolledBack.current(id).map(RolledBack::of).orElse(null),
                CheckHealthView.of(checkHealth, id), null);
    }
}
