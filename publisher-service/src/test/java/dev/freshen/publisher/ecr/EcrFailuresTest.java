package dev.freshen.publisher.ecr;

import dev.freshen.publisher.PublishFailure;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecr.model.EcrException;

import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EcrFailuresTest {

    @Test
    void accessDeniedIsPermanentAndNamesTheAwsErrorCode() {
        PublishFailure failure = EcrFailures.of("PutImage", "of abc as r/x:1", service(400, "AccessDeniedException",
                "User is not authorized to perform: ecr:PutImage"));
        assertFalse(failure.isTransient());
        assertEquals("ECR PutImage of abc as r/x:1 failed: AccessDeniedException: User is not authorized to perform: "
                + "ecr:PutImage (HTTP 400, request id req-1)", failure.getMessage());
    }

    @Test
    void throttlingAndServerErrorsAreTransient() {
        assertTrue(EcrFailures.of("ListImages", "x", service(400, "ThrottlingException", "Rate exceeded")).isTransient());
        assertTrue(EcrFailures.of("ListImages", "x", service(500, "ServerException", "oops")).isTransient());
        assertFalse(EcrFailures.of("ListImages", "x", service(400, "InvalidParameterException", "bad")).isTransient());
    }

    @Test
    void quotasAndAMissingRepositoryArePermanentWithTheirOwnCodes() {
        PublishFailure limit = EcrFailures.of("PutImage", "x", service(400, "LimitExceededException", "tags per image"));
        assertFalse(limit.isTransient());
        assertEquals(PublishFailure.ECR_LIMIT_EXCEEDED, limit.code());
        PublishFailure missing = EcrFailures.of("PutImage", "x", service(400, "RepositoryNotFoundException", "gone"));
        assertFalse(missing.isTransient());
        assertEquals(PublishFailure.ECR_REPOSITORY_MISSING, missing.code());
        assertEquals(PublishFailure.ECR_ERROR, EcrFailures.of("PutImage", "x", service(400, "KmsException", "k")).code());
    }

    @Test
    void ioErrorsAreTransientButMissingCredentialsAreNot() {
        assertTrue(EcrFailures.of("ListImages", "x", SdkClientException.create("Unable to execute HTTP request",
                new SocketTimeoutException("Read timed out"))).isTransient());
        PublishFailure credentials = EcrFailures.of("ListImages", "x",
                SdkClientException.create("Unable to load credentials from any of the providers in the chain"));
        assertFalse(credentials.isTransient());
        assertTrue(credentials.getMessage().contains("Unable to load credentials"), credentials.getMessage());
    }

    private static EcrException service(int status, String code, String message) {
        return (EcrException) EcrException.builder().statusCode(status).requestId("req-1")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }
}
