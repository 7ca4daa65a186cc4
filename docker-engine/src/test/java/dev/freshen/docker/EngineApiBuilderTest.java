package dev.freshen.docker;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import dev.freshen.events.FailureKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a failure docker-java raised on a build is classified (answers as Engine 20.10 gives them). */
class EngineApiBuilderTest {

    @Test
    void aDockerfileTheEngineRefusesIsPermanentWithItsReason() {
        BuildFailure failure = EngineApiBuilder.classify(new BadRequestException(
                "{\"message\":\"dockerfile parse error line 2: unknown instruction: FOO\"}\n"));
        assertEquals(FailureKind.PERMANENT, failure.kind());
        assertEquals(BuildFailure.CONTEXT_INVALID, failure.code());
        assertEquals("the Docker engine refused the build: dockerfile parse error line 2: unknown instruction: FOO",
                failure.getMessage());
    }

    @Test
    void anInternalErrorAboutTheInputIsPermanentToo() {
        BuildFailure failure = EngineApiBuilder.classify(new InternalServerErrorException(
                "{\"message\":\"Cannot locate specified Dockerfile: Dockerfile\"}\n"));
        assertEquals(FailureKind.PERMANENT, failure.kind());
        assertEquals(BuildFailure.CONTEXT_INVALID, failure.code());
    }

    @Test
    void anotherInternalErrorIsTheEnginesTrouble() {
        BuildFailure failure = EngineApiBuilder.classify(new InternalServerErrorException(
                "{\"message\":\"write /var/lib/docker/tmp/x: no space left on device\"}\n"));
        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failure.kind());
        assertEquals(BuildFailure.ENGINE_ERROR, failure.code());
        assertEquals("the Docker engine failed the build: write /var/lib/docker/tmp/x: no space left on device",
                failure.getMessage());
    }

    @Test
    void noAnswerAtAllIsAnEngineNotReachable() {
        BuildFailure failure = EngineApiBuilder.classify(new RuntimeException(new IOException("boom",
                new ConnectException("Connection refused"))));
        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failure.kind());
        assertEquals(BuildFailure.ENGINE_ERROR, failure.code());
        assertEquals("the Docker engine is not reachable: connection refused", failure.getMessage());
    }
}
