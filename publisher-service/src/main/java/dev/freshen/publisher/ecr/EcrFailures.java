package dev.freshen.publisher.ecr;

import dev.freshen.publisher.PublishFailure;
import dev.freshen.retry.StopRequested;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns AWS SDK failures (after the SDK's own retries) into publish failures (an interrupt into {@link StopRequested}) whose reason carries the AWS error code:
 * throttling, 5xx, timeouts and I/O errors are transient; everything else is permanent: {@code LimitExceededException}
 * (a quota, code {@code ecr-limit-exceeded}), {@code RepositoryNotFoundException} (deleted meanwhile, code
 * {@code ecr-repository-missing}), AccessDeniedException, InvalidParameterException, KmsException, missing
 * credentials... (code {@code ecr-error}).
 */
final class EcrFailures {

    private EcrFailures() {
    }

    /**
     * @param operation the ECR API operation, e.g. {@code PutImage}
     * @param what      what it was about, naming repository, registry and tag
     */
    static PublishFailure of(String operation, String what, SdkException e) {
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
            throw new StopRequested("interrupted during ECR " + operation + " " + what, e);
        }
        if (e instanceof AwsServiceException service) {
            var details = service.awsErrorDetails();
            String code = details == null || details.errorCode() == null ? "UnknownError" : details.errorCode();
            String message = details == null || details.errorMessage() == null ? "" : ": " + details.errorMessage();
            String reason = "ECR " + operation + " " + what + " failed: " + code + message + " (HTTP "
                    + service.statusCode() + (service.requestId() == null ? "" : ", request id " + service.requestId())
                    + ")";
            boolean transientFailure = service.isThrottlingException() || service.statusCode() >= 500
                    || service.statusCode() == 429;
            if (transientFailure) {
                return PublishFailure.transientFailure(PublishFailure.ECR_ERROR, reason, e);
            }
            return PublishFailure.permanent(switch (code) {
                case "LimitExceededException" -> PublishFailure.ECR_LIMIT_EXCEEDED;
                case "RepositoryNotFoundException" -> PublishFailure.ECR_REPOSITORY_MISSING;
                default -> PublishFailure.ECR_ERROR;
            }, reason, e);
        }
        String reason = "ECR " + operation + " " + what + " failed: " + e.getMessage();
        return isIoOrTimeout(e) ? PublishFailure.transientFailure(PublishFailure.ECR_ERROR, reason, e)
                : PublishFailure.permanent(PublishFailure.ECR_ERROR, reason, e);
    }

    private static boolean isIoOrTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof ApiCallTimeoutException
                    || t instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
