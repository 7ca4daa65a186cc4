package dev.freshen.tester.http;

import dev.freshen.descriptor.IntegrationTest;
import dev.freshen.retry.Failures;
import dev.freshen.retry.StopRequested;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Sends the descriptor's request to the application until it answers, polling instead of sleeping a fixed time: the
 * first HTTP answer decides. Gives up when the start-up timeout passes or the container stops. No single request
 * outlasts the start-up timeout. An interrupt (the service stopping) throws {@link StopRequested}.
 */
public final class AppProbe {

    private static final Duration POLL = Duration.ofMillis(200);
    /** The longest a single request may wait for its answer. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHORTEST_REQUEST = Duration.ofMillis(200);
    private static final int MAX_BODY = 64 * 1024;

    /** How the wait ended. */
    public enum Outcome {
        /** The application answered (any status). */
        ANSWERED,
        /** The application's container stopped before it answered. */
        STOPPED,
        /** No answer within the start-up timeout. */
        NO_ANSWER
    }

    /**
     * How the wait ended and after how long; for {@link Outcome#ANSWERED} the status and the body (at most 64 KiB,
     * {@code bodyBytes} its whole length in bytes when known, else -1); else {@code lastError}: why the last request
     * got no answer, in plain words ("connection refused", "the connection was closed without an answer"), or null
     * when none was sent.
     */
    public record Answer(Outcome outcome, int status, String body, long bodyBytes, Duration after, String lastError) {

        public static Answer answered(int status, String body, long bodyBytes, Duration after) {
            return new Answer(Outcome.ANSWERED, status, body, bodyBytes, after, null);
        }

        static Answer none(Outcome outcome, Duration after, String lastError) {
            return new Answer(outcome, 0, null, -1, after, lastError);
        }

        public boolean answered() {
            return outcome == Outcome.ANSWERED;
        }
    }

    private final HttpClient http;

    public AppProbe(HttpClient http) {
        this.http = http;
    }

    /**
     * Waits for the application's answer to {@code request} at {@code base}.
     *
     * @param running whether the application's container still runs (asked before each request)
     * @throws StopRequested when interrupted
     */
    public Answer await(URI base, IntegrationTest.Request request, Duration startupTimeout, BooleanSupplier running) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(request.path()))
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(request.body()));
        request.headers().forEach(builder::header);
        long start = System.nanoTime();
        long deadline = start + startupTimeout.toNanos();
        String lastError = null;
        while (System.nanoTime() < deadline) {
            if (!running.getAsBoolean()) {
                return Answer.none(Outcome.STOPPED, since(start), lastError);
            }
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            Duration timeout = left.compareTo(REQUEST_TIMEOUT) > 0 ? REQUEST_TIMEOUT
                    : left.compareTo(SHORTEST_REQUEST) < 0 ? SHORTEST_REQUEST : left;
            try {
                HttpResponse<String> response = http.send(builder.copy().timeout(timeout).build(),
                        HttpResponse.BodyHandlers.ofString());
                String body = response.body();
                return Answer.answered(response.statusCode(), body.length() > MAX_BODY ? body.substring(0, MAX_BODY)
                        : body, body.getBytes(StandardCharsets.UTF_8).length, since(start));
            } catch (IOException e) {
                lastError = plainWords(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StopRequested("interrupted while waiting for the test app to answer", e);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StopRequested("interrupted while waiting for the test app to answer", e);
            }
        }
        return Answer.none(Outcome.NO_ANSWER, since(start), lastError);
    }

    /**
     * Why a request got no answer, in plain words. Through Docker's port publishing, a connection to the published
     * port is accepted even when nothing listens in the container, and then closed: the JDK says "HTTP/1.1 header
     * parser received no bytes", which is said here as "the connection was closed without an answer". A request that
     * times out found something that accepted the connection and never answered.
     */
    static String plainWords(IOException failure) {
        if (failure instanceof HttpTimeoutException && !(failure instanceof HttpConnectTimeoutException)) {
            return "the connection stayed open without an answer";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        if (message.contains("header parser received no bytes") || message.contains("EOF reached while reading")) {
            return "the connection was closed without an answer";
        }
        return Failures.plainWords(failure);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
