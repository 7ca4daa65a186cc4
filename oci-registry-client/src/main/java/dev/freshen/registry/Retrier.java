package dev.freshen.registry;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** Runs an HTTP exchange again after transient failures, as {@link RetryPolicy} says, waiting in between. */
final class Retrier {

    /** One attempt. */
    interface Attempt {
        HttpResponse<byte[]> run() throws IOException;
    }

    private final RetryPolicy policy;

    Retrier(RetryPolicy policy) {
        this.policy = policy;
    }

    /**
     * The first response that is not transient (5xx, 429), or a transient {@link RegistryException} once all attempts
     * failed. {@link RegistryException}s thrown by an attempt are not retried.
     */
    HttpResponse<byte[]> run(String what, Attempt attempt) {
        for (int number = 1; ; number++) {
            Duration wait;
            try {
                HttpResponse<byte[]> response = attempt.run();
                int status = response.statusCode();
                if (!RetryPolicy.isTransientStatus(status)) {
                    return response;
                }
                if (number >= policy.maxAttempts()) {
                    RegistryException failure = OciErrors.failure(what, response);
                    throw new RegistryException(failure.getMessage() + " (gave up after " + number + " attempts)",
                            status, true, failure.code());
                }
                wait = policy.delay(number, status, response.headers().firstValue("Retry-After"), Instant.now());
                RegistryLog.info(what + " answered HTTP " + status + " (attempt " + number + " of "
                        + policy.maxAttempts() + "), trying again in " + wait.toMillis() + " ms");
            } catch (IOException e) {
                if (number >= policy.maxAttempts()) {
                    throw new RegistryException(what + " failed after " + number + " attempts: " + describe(e), 0, true,
                            null, e);
                }
                wait = policy.backoff(number);
                RegistryLog.info(what + " failed (" + describe(e) + ", attempt " + number + " of "
                        + policy.maxAttempts() + "), trying again in " + wait.toMillis() + " ms");
            }
            pause(what, wait);
        }
    }

    private static void pause(String what, Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while waiting to retry " + what, 0, false, null, e);
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
