package dev.freshen.registry;

import dev.freshen.retry.Failures;
import dev.freshen.retry.Retry;
import dev.freshen.retry.RetryAfter;
import dev.freshen.retry.RetryMetrics;
import dev.freshen.retry.RetryPolicy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The one retry layer of registry requests, per request, with the shared runner ({@link Retry}): I/O errors,
 * time-outs and transient statuses (5xx but 501, 429) are tried again as {@link RegistrySettings#retries()} says; a
 * 429 or 503 with a {@code Retry-After} of at most max-backoff sets the wait, a longer one ends the retries.
 * Everything else (including {@link RegistryException}s an attempt throws, such as a refused login) is not retried. An
 * interrupt ends the retries with {@code StopRequested}, never a failure.
 */
final class RegistryRetry {

    /** One exchange. */
    interface Attempt {
        HttpResponse<byte[]> run() throws IOException;
    }

    /** One attempt of an operation of several exchanges ({@link BlobCopy}). */
    interface Action<T> {
        T run() throws IOException;
    }

    /** A response with a transient status, while attempts are left. */
    private static final class TransientResponse extends RuntimeException {
        final transient HttpResponse<byte[]> response;

        TransientResponse(HttpResponse<byte[]> response) {
            super("HTTP " + response.statusCode(), null, false, false);
            this.response = response;
        }
    }

    /** An I/O error or time-out of one exchange. */
    private static final class TransientIo extends RuntimeException {
        TransientIo(IOException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private final Retry retry;

    RegistryRetry(RetryPolicy policy, Clock clock) {
        this.retry = Retry.of(policy, e -> e instanceof TransientResponse || e instanceof TransientIo)
                .operation("registry-request")
                .reasonedBy(e -> e instanceof TransientResponse t ? "http-" + t.response.statusCode() : RetryMetrics.reason(e))
                .retryAfter(e -> e instanceof TransientResponse t ? retryAfter(t.response, clock) : Optional.empty())
                .describedBy(e -> e instanceof TransientResponse t ? OciErrors.summary(t.response) : Failures.plainWords(e))
                .onGiveUp(RegistryRetry::gaveUp);
    }

    /**
     * The first response whose status is not transient (any but 429 and 5xx other than 501), or a transient
     * {@link RegistryException} once the attempts are used up.
     *
     * @param what the request for logs and errors ({@code HEAD http://127.0.0.1:5000/v2/a/b/manifests/1}): no
     *             credentials, no query strings
     */
    HttpResponse<byte[]> exchange(String what, Attempt attempt) {
        return run(what, () -> requireNotTransient(attempt.run()));
    }

    /**
     * The result of {@code action}, tried again like one exchange: after an I/O error or time-out, or a transient
     * response it passed to {@link #requireNotTransient}. A {@link RegistryException} it throws ends the retries.
     */
    <T> T run(String what, Action<T> action) {
        return retry.get(what, () -> {
            try {
                return action.run();
            } catch (IOException e) {
                throw new TransientIo(e);
            }
        });
    }

    /** {@code response}, unless its status is transient (5xx, 429): then the attempt of {@link #run} failed. */
    static HttpResponse<byte[]> requireNotTransient(HttpResponse<byte[]> response) {
        if (OciErrors.isTransientStatus(response.statusCode())) {
            throw new TransientResponse(response);
        }
        return response;
    }

    private static Optional<Duration> retryAfter(HttpResponse<byte[]> response, Clock clock) {
        int status = response.statusCode();
        return status == 429 || status == 503
                ? response.headers().firstValue("Retry-After").flatMap(v -> RetryAfter.parse(v, clock.instant()))
                : Optional.empty();
    }

    private static RuntimeException gaveUp(RuntimeException last, Retry.GaveUp why) {
        String after = why.retryAfterTooLong().isPresent() ? "the registry " + why.describe() : "gave up after "
                + why.describe();
        if (last instanceof TransientResponse t) {
            RegistryException failure = OciErrors.failure(why.what(), t.response);
            return new RegistryException(failure.getMessage() + " (" + after + ")", failure.status(), true, failure.code());
        }
        return new RegistryException(why.what() + " failed (" + after + "): " + Failures.plainWords(last), 0, true, null,
                last.getCause());
    }
}
