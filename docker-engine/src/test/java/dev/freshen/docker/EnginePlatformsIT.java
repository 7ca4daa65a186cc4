package dev.freshen.docker;

import com.github.dockerjava.api.DockerClient;
import dev.freshen.events.image.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link EnginePlatforms} against the real engine and BuildKit: the native platform passes without a probe, arm64
 * passes its probe build under QEMU emulation, a platform without a registered emulator is refused with the
 * executor's words.
 */
class EnginePlatformsIT {

    private static DockerClient docker;

    @BeforeAll
    static void engine() {
        dev.freshen.testing.DockerEngine.requireRunning();
        dev.freshen.testing.Emulation.requireArm64();
        docker = DockerEngine.connect(Duration.ofMinutes(2));
    }

    @AfterAll
    static void close() throws IOException {
        if (docker != null) {
            docker.close();
        }
    }

    private static EnginePlatforms platforms() {
        return EnginePlatforms.of(docker, dev.freshen.testing.DockerEngine.CLI, Duration.ofMinutes(2));
    }

    @Test
    void theNativePlatformIsTheEnginesAndPasses() {
        EnginePlatforms platforms = platforms();
        Platform own = platforms.nativePlatform();
        assertEquals(Platform.parse("linux/" + System.getProperty("os.arch")), own, "the engine runs on this machine");
        platforms.check(List.of(own));
    }

    @Test
    void arm64PassesItsProbeBuildUnderEmulation() {
        EnginePlatforms platforms = platforms();
        assumeTrue(!platforms.isNative(Platform.parse("linux/arm64")), "an arm64 engine builds arm64 natively");
        long started = System.nanoTime();
        platforms.check(List.of(Platform.LINUX_AMD64, Platform.parse("linux/arm64/v8")));
        long first = System.nanoTime() - started;
        started = System.nanoTime();
        platforms.check(List.of(Platform.parse("linux/arm64")));
        assertTrue(System.nanoTime() - started < first / 2, "remembered: no second probe build");
    }

    @Test
    void aPlatformWithoutEmulatorIsRefusedWithTheExecutorsWords() {
        assumeTrue(!Files.exists(Path.of("/proc/sys/fs/binfmt_misc/qemu-riscv64")), "this host emulates riscv64");
        BuildFailure failure = assertThrows(BuildFailure.class, () -> platforms().check(List.of(Platform.parse("linux/riscv64"))));
        assertEquals(EnginePlatforms.PLATFORM_UNSUPPORTED, failure.code());
        assertTrue(failure.getMessage().contains("cannot build linux/riscv64 (a probe build with RUN for it failed: exec "
                + "/freshen-probe: exec format error)"), failure.getMessage());
    }
}
