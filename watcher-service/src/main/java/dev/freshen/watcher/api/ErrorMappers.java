package dev.freshen.watcher.api;

import dev.freshen.watcher.ImageNotWatchedException;
import dev.freshen.watcher.NotReadyException;
import dev.freshen.watcher.RollbackRefusedException;
import dev.freshen.watcher.RunNotStartedException;
import dev.freshen.watcher.UnknownImageException;
import dev.freshen.watcher.UnknownRunException;
import dev.freshen.watcher.schedule.Catalog;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;


/**
 * Every error the API answers is a {@link Problem} ({@code application/problem+json}): the API's own
 * {@link ApiProblem}s, the watcher's domain exceptions (unknown image or run, not ready), the HTTP layer's defaults
 * (404 for no such endpoint, 405, 406, 415) and anything unexpected (500, details in the log only).
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @Inject
    Catalog catalog;

    @ServerExceptionMapper
    public RestResponse<String> apiProblem(ApiProblem e) {
        return ProblemResponses.of(e);
    }

    /** The id comes from the path: {@code /api/v1/images/{id}…}. */
    @ServerExceptionMapper
    public RestResponse<String> unknownImage(UnknownImageException e, UriInfo uri) {
        String id = uri.getPathParameters().getFirst("id");
        return ProblemResponses.of(ApiProblem.unknownImage(id == null ? "" : id, e.getMessage(),
                RunsResource.ids(catalog.get())));
    }

    /** 409: the image is there, but its descriptor is invalid; the answer names every problem and what to do. */
    @ServerExceptionMapper
    public RestResponse<String> imageNotWatched(ImageNotWatchedException e) {
        return ProblemResponses.of(ApiProblem.imageNotWatched(e));
    }

    @ServerExceptionMapper
    public RestResponse<String> rollbackRefused(RollbackRefusedException e) {
        return ProblemResponses.of(ApiProblem.of(e.status(), e.code(), "Rollback refused", e.getMessage(), e.hint()));
    }

    @ServerExceptionMapper
    public RestResponse<String> unknownRun(UnknownRunException e) {
        return ProblemResponses.of(ApiProblem.unknownRun(e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<String> notReady(NotReadyException e) {
        return ProblemResponses.of(ApiProblem.notReady(e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<String> runNotStarted(RunNotStartedException e) {
        LOG.warnf("Run not started: %s", e.getMessage());
        return ProblemResponses.of(ApiProblem.kafkaUnavailable(e.getMessage()));
    }

    /** The HTTP layer's own answers: no such endpoint, method not allowed, unsupported body type, … */
    @ServerExceptionMapper
    public RestResponse<String> http(WebApplicationException e, UriInfo uri) {
        Response response = e.getResponse();
        int status = response == null ? 500 : response.getStatus();
        ApiProblem problem = switch (status) {
            case 404 -> ApiProblem.of(404, "not-found", "No such endpoint", "there is no endpoint at "
                    + uri.getRequestUri().getRawPath(), "the API's endpoints are listed at /q/openapi (Swagger UI at "
                    + "/q/swagger-ui)");
            case 405 -> ApiProblem.of(405, "method-not-allowed", "Method not allowed", "this endpoint does not take "
                    + "this method" + allowed(response), "the API's endpoints and their methods are listed at /q/openapi");
            case 406 -> ApiProblem.of(406, "not-acceptable", "Answer type not available",
                    "this endpoint answers application/json (errors application/problem+json) only",
                    "send Accept: application/json, or no Accept header");
            case 415 -> ApiProblem.of(415, "unsupported-media-type", "Body type not supported",
                    "this endpoint takes a JSON body", "send Content-Type: application/json, or no body");
            default -> {
                if (status >= 500) {
                    LOG.errorf(e, "Request %s failed", uri.getRequestUri().getRawPath());
                    yield ApiProblem.internal();
                }
                yield ApiProblem.of(status, "http-" + status, "Request refused", "the request was refused (HTTP "
                        + status + ")", "the API's endpoints are listed at /q/openapi");
            }
        };
        if (response != null && response.getHeaderString(HttpHeaders.ALLOW) != null) {
            problem = problem.withHeader(HttpHeaders.ALLOW, response.getHeaderString(HttpHeaders.ALLOW));
        }
        return ProblemResponses.of(problem);
    }

    /** Anything else is the watcher's fault: logged with its stack trace, answered without it. */
    @ServerExceptionMapper
    public RestResponse<String> unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "Request %s failed", uri.getRequestUri().getRawPath());
        return ProblemResponses.of(ApiProblem.internal());
    }

    private static String allowed(Response response) {
        String allow = response.getHeaderString(HttpHeaders.ALLOW);
        return allow == null || allow.isBlank() ? "" : " (it takes " + allow.replace(",", ", ").replaceAll("\\s+", " ")
                + ")";
    }
}
