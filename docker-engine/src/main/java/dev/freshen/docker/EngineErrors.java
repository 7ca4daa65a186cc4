package dev.freshen.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerException;
import dev.freshen.retry.Failures;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker engine failures in plain words for failure reasons and readiness: the engine's own message (what
 * {@code docker} prints after "Error response from daemon:"), or for a connection that failed, what failed
 * ("connection refused"); never an exception's class name or a JSON body.
 */
public final class EngineErrors {

    /** docker-java's message of an engine error answer: {@code Status 400: {"message":"..."}}. */
    private static final Pattern STATUS = Pattern.compile("(?s)^Status \\d{3}: (.*)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineErrors() {
    }

    /** What went wrong in plain words (see the class). */
    public static String plainWords(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DockerException && t.getMessage() != null) {
                return engineMessage(t.getMessage());
            }
            // docker-java's HTTP client (shaded Apache HttpClient), on a kept-alive connection the engine had closed
            // (it restarted): docker-java does not check pooled connections before use
            if (t.getClass().getSimpleName().equals("NoHttpResponseException")) {
                return "the Docker engine closed the connection without an answer (it may have restarted)";
            }
        }
        return Failures.plainWords(failure);
    }

    /** The engine's message out of docker-java's {@code Status 500: {"message":"..."}} (or the text as it is). */
    static String engineMessage(String text) {
        Matcher status = STATUS.matcher(text.strip());
        String body = status.matches() ? status.group(1) : text;
        if (body.strip().startsWith("{")) {
            try {
                JsonNode message = JSON.readTree(body).path("message");
                if (message.isTextual()) {
                    body = message.asText();
                }
            } catch (JsonProcessingException e) {
                // not JSON after all: the text as it is
            }
        }
        return PlainText.oneLine(PlainText.clean(body));
    }
}
