package dev.freshen.watcher.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * An {@link ApiProblem} as the answer the client gets: its status, its headers, and its {@link Problem} written as
 * {@code application/problem+json} (written here, so that filters, which answer before any message body writer is
 * chosen, send exactly what the exception mappers send).
 */
final class ProblemResponses {

    static final MediaType PROBLEM_JSON = MediaType.valueOf(Problem.MEDIA_TYPE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponses() {
    }

    static RestResponse<String> of(ApiProblem problem) {
        String body;
        try {
            body = JSON.writeValueAsString(problem.problem());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem is plain strings and numbers", e);
        }
        RestResponse.ResponseBuilder<String> response = RestResponse.ResponseBuilder.<String>create(problem.status())
                .type(PROBLEM_JSON).entity(body);
        problem.headers().forEach(response::header);
        return response.build();
    }
}
