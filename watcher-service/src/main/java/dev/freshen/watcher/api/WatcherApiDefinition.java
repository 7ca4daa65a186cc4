package dev.freshen.watcher.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The parts of the OpenAPI document (/q/openapi) that belong to no one endpoint: the bearer scheme of the write
 * endpoints, and the error answers every endpoint shares, each a {@link Problem}. Endpoints refer to these by name
 * ({@code @APIResponse(ref = "UnknownImage")}). {@code WatcherApiContractIT} holds the document to the real answers.
 */
@OpenAPIDefinition(
        info = @Info(title = "Freshen watcher API", version = "1",
                description = "The watched platform images, checking and force-updating them, and the runs stage by "
                        + "stage. Errors are RFC 9457 problem details (application/problem+json) with a stable code and a "
                        + "hint; see docs/api.md."),
        components = @Components(
                securitySchemes = @SecurityScheme(securitySchemeName = WatcherApiDefinition.API_KEY,
                        type = SecuritySchemeType.HTTP, scheme = "bearer",
                        description = "One of the watcher's API keys (freshen.watcher.api-keys.<name>): "
                                + "Authorization: Bearer <key>. Only the POST endpoints need it."),
                responses = {
                        @APIResponse(name = WatcherApiDefinition.BAD_REQUEST, responseCode = "400",
                                description = "the request is malformed: a path with '.' or '..' segments or encoded "
                                        + "slashes (bad-path), a body that is not what the endpoint takes (bad-body), a "
                                        + "malformed id (bad-run-id, bad-image-id) or parameter (bad-parameter)",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = WatcherApiDefinition.UNAUTHORIZED, responseCode = "401",
                                description = "no API key (missing-api-key) or a key that is none of the watcher's "
                                        + "(wrong-api-key); with WWW-Authenticate: Bearer",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = WatcherApiDefinition.UNKNOWN_IMAGE, responseCode = "404",
                                description = "no watched image has this id (unknown-image); suggestions lists the "
                                        + "closest ids",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = WatcherApiDefinition.UNKNOWN_RUN, responseCode = "404",
                                description = "no event of this run is on the topics (unknown-run)",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = WatcherApiDefinition.NOT_WATCHED, responseCode = "409",
                                description = "the image's folder is there but its descriptor is invalid, so it is "
                                        + "neither checked nor built (image-not-watched); problems lists every problem",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = WatcherApiDefinition.UNSUPPORTED_MEDIA_TYPE, responseCode = "415",
                                description = "a body that is not JSON (unsupported-media-type)",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = WatcherApiDefinition.NOT_READY, responseCode = "503",
                                description = "the run ledger is still reading the topics after a start (not-ready), "
                                        + "or Kafka did not take the run's trigger event in time (kafka-unavailable); "
                                        + "with Retry-After",
                                content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
                }))
public class WatcherApiDefinition extends Application {

    static final String API_KEY = "apiKey";
    static final String BAD_REQUEST = "BadRequest";
    static final String UNAUTHORIZED = "Unauthorized";
    static final String UNKNOWN_IMAGE = "UnknownImage";
    static final String UNKNOWN_RUN = "UnknownRun";
    static final String NOT_WATCHED = "NotWatched";
    static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    static final String NOT_READY = "NotReady";
}
