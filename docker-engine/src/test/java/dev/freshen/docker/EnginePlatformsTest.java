package dev.freshen.docker;

import dev.freshen.events.FailureKind;
import dev.freshen.events.image.Platform;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EnginePlatforms} with a fake probe: what is probed, what is remembered, what a failure says. */
class EnginePlatformsTest {

    private static final Platform ARM64 = Platform.parse("linux/arm64");
    private static final Platform RISCV = Platform.parse("linux/riscv64");

    private final List<Platform> probed = new ArrayList<>();
    private final List<Optional<String>> answers = new ArrayList<>();
    private final EnginePlatforms platforms = new EnginePlatforms(() -> Platform.LINUX_AMD64, (platform, program) -> {
        probed.add(platform);
        assertEquals(ProbeBinaries.of(platform).orElseThrow().length, program.length, "the platform's own program");
        return answers.isEmpty() ? Optional.empty() : answers.remove(0);
    });

    @Test
    void theNativePlatformNeedsNoProbe() {
        platforms.check(List.of(Platform.LINUX_AMD64));
        assertEquals(List.of(), probed);
        assertTrue(platforms.isNative(Platform.LINUX_AMD64));
    }

    @Test
    void aForeignPlatformThatPassedIsRememberedOneThatFailedIsProbedAgain() {
        answers.add(Optional.of("a probe build with RUN for it failed: exec /freshen-probe: exec format error"));
        BuildFailure failure = assertThrows(BuildFailure.class, () -> platforms.check(List.of(Platform.LINUX_AMD64, ARM64)));
        assertEquals(FailureKind.PERMANENT, failure.kind());
        assertEquals(EnginePlatforms.PLATFORM_UNSUPPORTED, failure.code());
        assertEquals("the Docker engine (linux/amd64) cannot build linux/arm64 (a probe build with RUN for it failed: exec"
                + " /freshen-probe: exec format error): register QEMU user emulation for linux/arm64 with the fix-binary"
                + " flag on the Docker engine's host (deploy/local/stack.sh up emulation; on Kubernetes the binfmt-qemu"
                + " addon) and restart the Docker daemon if it started before that, or build on a linux/arm64 engine",
                failure.getMessage());

        platforms.check(List.of(Platform.LINUX_AMD64, ARM64)); // emulation registered meanwhile
        platforms.check(List.of(ARM64));
        assertEquals(List.of(ARM64, ARM64), probed, "probed again after the failure, not after the pass");
    }

    @Test
    void theFirstPlatformThatFailsEndsTheCheck() {
        answers.add(Optional.of("no emulator available"));
        BuildFailure failure = assertThrows(BuildFailure.class, () -> platforms.check(List.of(RISCV, ARM64)));
        assertTrue(failure.getMessage().contains("cannot build linux/riscv64"), failure.getMessage());
        assertEquals(List.of(RISCV), probed);
    }

    @Test
    void aPlatformWithoutProbeProgramIsUnsupportedWithoutABuild() {
        BuildFailure failure = assertThrows(BuildFailure.class, () -> platforms.check(List.of(Platform.parse("linux/s390x"))));
        assertEquals(EnginePlatforms.PLATFORM_UNSUPPORTED, failure.code());
        assertTrue(failure.getMessage().startsWith("the Docker engine (linux/amd64) cannot build linux/s390x (Freshen has"
                + " no probe program for s390x"), failure.getMessage());
        assertTrue(failure.getMessage().endsWith("; build it on a linux/s390x engine"), failure.getMessage());
        assertEquals(List.of(), probed);
    }

    @Test
    void anEngineThatDoesNotSayItsPlatformIsTransientTrouble() {
        EnginePlatforms away = new EnginePlatforms(() -> {
            throw new IllegalStateException("connection refused");
        }, (p, program) -> Optional.empty());
        BuildFailure failure = assertThrows(BuildFailure.class, () -> away.check(List.of(ARM64)));
        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failure.kind());
        assertEquals(BuildFailure.ENGINE_ERROR, failure.code());
    }

    @Test
    void theReasonIsTheExecutorsLineAboutTheBinaryElseTheLastErrorLine() {
        assertEquals("exec /freshen-probe: exec format error", EnginePlatforms.CliProbe.reason("""
                #5 [2/2] RUN ["/freshen-probe"]
                #5 0.182 exec /freshen-probe: exec format error
                #5 ERROR: executor failed running [/freshen-probe]: exit code: 1
                executor failed running [/freshen-probe]: exit code: 1
                """));
        assertEquals("error: failed to solve: something else", EnginePlatforms.CliProbe.reason("""
                #1 [internal] load build definition
                error: failed to solve: something else
                done
                """));
    }
}
