package dev.freshen.tester.http;

import dev.freshen.descriptor.IntegrationTest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Sends the descriptor's request to the application until it answers, polling instead of sleeping a fixed time: the
 * first HTTP answer decides. Gives up when the start-up timeout passes or the container stops.
 */
public final class AppProbe {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final int MAX_BODY = 64 * 1024;

    /** The first answer (status, body, how long the app took to answer), or why there was none. */
    public record Answer(int status, String body, Duration readyAfter, String problem) {

        static Answer none(String problem, Duration after) {
            return new Answer(0, null, after, problem);
        }

        public boolean answered() {
            return problem == null;
        }
    }

    private final HttpClient http;

    public AppProbe(HttpClient http) {
        this.http = http;
    }

    public Answer await(URI base, IntegrationTest.Request request, Duration startupTimeout, BooleanSupplier running) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(request.path()))
                .timeout(Duration.ofSeconds(10))
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(request.body()));
        request.headers().forEach(builder::header);
        HttpRequest httpRequest = builder.build();
        long start = System.nanoTime();
        long deadline = start + startupTimeout.toNanos();
        String lastError = "no answer";
        while (System.nanoTime() < deadline) {
            if (!running.getAsBoolean()) {
                return Answer.none("the application's container stopped before it answered", since(start));
            }
            try {
                HttpResponse<String> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
                String body = response.body();
                return new Answer(response.statusCode(), body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body,
                        since(start), null);
            } catch (IOException e) {
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Answer.none("interrupted", since(start));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Answer.none("interrupted", since(start));
            }
        }
        return Answer.none("no answer within the start-up timeout of " + startupTimeout + " (last: " + lastError + ")",
                since(start));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
