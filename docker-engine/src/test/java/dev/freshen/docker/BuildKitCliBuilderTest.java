package dev.freshen.docker;

import dev.freshen.events.FailureKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a failed {@code docker build} (Debian's docker 20.10 with BuildKit, as it prints) is classified. */
class BuildKitCliBuilderTest {

    @Test
    void anEngineTheCliCannotDialIsTransient() {
        BuildFailure failure = BuildKitCliBuilder.failure(log("failed to dial gRPC: cannot connect to the Docker daemon. "
                + "Is 'docker daemon' running on this host?: dial tcp 127.0.0.1:1: connect: connection refused"));
        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failure.kind());
        assertEquals(BuildFailure.ENGINE_ERROR, failure.code());
    }

    @Test
    void inputRefusedBeforeAnyStepIsPermanentWithItsReason() {
        for (String line : new String[] {
                "failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 2: unknown instruction: FOO",
                "unable to prepare context: path \"/platform-images/x\" not found",
                "error from sender: open /platform-images/x/secret: permission denied"}) {
            BuildFailure failure = BuildKitCliBuilder.failure(log("#1 [internal] load build definition from Dockerfile", line));
            assertEquals(FailureKind.PERMANENT, failure.kind(), line);
            assertEquals(BuildFailure.CONTEXT_INVALID, failure.code(), line);
            assertEquals("docker build refused the build's input: " + line, failure.getMessage());
        }
    }

    @Test
    void aStepThatPrintsTheCliWordsIsStillAFailingStep() {
        BuildFailure failure = BuildKitCliBuilder.failure(log("#5 [2/2] RUN docker ps",
                "#5 0.2 Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
                "#5 ERROR: process \"/bin/sh -c docker ps\" did not complete successfully: exit code: 1"));
        assertEquals(FailureKind.PERMANENT, failure.kind());
        assertEquals(BuildFailure.STEP_FAILED, failure.code());
    }

    @Test
    void aFailingStepIsNamed() {
        BuildFailure failure = BuildKitCliBuilder.failure(log("#5 [2/2] RUN exit 3", "#5 ERROR: process \"/bin/sh -c exit 3\" "
                + "did not complete successfully: exit code: 3"));
        assertEquals(BuildFailure.STEP_FAILED, failure.code());
        assertEquals("build failed at #5 [2/2] RUN exit 3: #5 ERROR: process \"/bin/sh -c exit 3\" did not complete "
                + "successfully: exit code: 3", failure.getMessage());
    }

    private static BuildLog log(String... lines) {
        BuildLog log = new BuildLog(20);
        for (String line : lines) {
            log.append(line + "\n");
        }
        return log;
    }
}
