package dev.freshen.watcher.api;

import dev.freshen.watcher.NotReadyException;
import dev.freshen.watcher.UnknownImageException;
import dev.freshen.watcher.UnknownRunException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** Errors as JSON {@code {"error": "..."}} with the status that says what happened. */
public class ErrorMappers {

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> unknownImage(UnknownImageException e) {
        return RestResponse.status(Response.Status.NOT_FOUND, Map.of("error", e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> unknownRun(UnknownRunException e) {
        return RestResponse.status(Response.Status.NOT_FOUND, Map.of("error", e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> notReady(NotReadyException e) {
        return RestResponse.status(Response.Status.SERVICE_UNAVAILABLE, Map.of("error", e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<Map<String, String>> invalidArgument(IllegalArgumentException e) {
        return RestResponse.status(Response.Status.BAD_REQUEST, Map.of("error", e.getMessage()));
    }
}
