package dev.freshen.ecr;

import dev.freshen.retry.Failures;
import dev.freshen.retry.Retry;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;

/**
 * The SDK's retry strategy, unchanged, plus Freshen's one retry log line for each retry it decides on
 * ({@code Retrying an ECR API call (attempt 2 of 4) in 1.0 s: ThrottlingException: Rate exceeded (HTTP 400)}), on
 * the retry runner's logger. The SDK does not tell a strategy which operation it retries.
 */
final class LoggedRetryStrategy implements RetryStrategy {

    private static final Logger LOG = Logger.getLogger("dev.freshen.retry");

    /** The SDK's token and the attempt it belongs to. */
    private record Counted(RetryToken token, int attempt) implements RetryToken {
    }

    private final RetryStrategy delegate;

    LoggedRetryStrategy(RetryStrategy delegate) {
        this.delegate = delegate;
    }

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
        AcquireInitialTokenResponse response = delegate.acquireInitialToken(request);
        return AcquireInitialTokenResponse.create(new Counted(response.token(), 1), response.delay());
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        Counted counted = (Counted) request.token();
        RefreshRetryTokenResponse response = delegate.refreshRetryToken(request.toBuilder().token(counted.token()).build());
        LOG.info(new Retry.Retrying("an ECR API call", counted.attempt() + 1, maxAttempts(), response.delay(),
                describe(request.failure())).logLine());
        return RefreshRetryTokenResponse.create(new Counted(response.token(), counted.attempt() + 1), response.delay());
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        RecordSuccessResponse response = delegate.recordSuccess(RecordSuccessRequest.create(((Counted) request.token()).token()));
        return RecordSuccessResponse.create(new Counted(response.token(), ((Counted) request.token()).attempt()));
    }

    @Override
    public int maxAttempts() {
        return delegate.maxAttempts();
    }

    @Override
    public boolean useClientDefaults() {
        return false;
    }

    @Override
    public Builder<?, ?> toBuilder() {
        throw new UnsupportedOperationException("configure the SDK's strategy in EcrClients.retryStrategy instead");
    }

    @Override
    public void close() {
        delegate.close();
    }

    static String describe(Throwable failure) {
        if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            var details = aws.awsErrorDetails();
            return (details.errorCode() == null ? "error" : details.errorCode())
                    + (details.errorMessage() == null ? "" : ": " + details.errorMessage()) + " (HTTP " + aws.statusCode() + ")";
        }
        return Failures.plainWords(failure);
    }
}
