package dev.freshen.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether this host runs linux/arm64 programs under QEMU user emulation, the way Freshen builds and tests a foreign
 * platform: {@code qemu-aarch64} registered in {@code binfmt_misc}, enabled, with the fix-binary flag {@code F} (the
 * kernel opens the interpreter at registration, so it also works inside containers) and the preserve-argv0 flag
 * {@code P} (without it a busybox applet started from an emulated shell runs as {@code sh}). {@code deploy/local/stack.sh
 * up} registers it.
 */
public final class Emulation {

    static final Path HANDLER = Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64");

    private Emulation() {
    }

    /** Whether linux/arm64 programs run here, in containers too, busybox applets included. */
    public static boolean arm64() {
        try {
            List<String> lines = Files.readAllLines(HANDLER);
            return lines.contains("enabled") && lines.stream().anyMatch(l -> l.startsWith("flags:") && l.contains("F")
                    && l.contains("P"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Fails a test that needs arm64 emulation on a host without it, naming the fix (as {@link DockerEngine#requireRunning()}
     * does for the engine: a missing prerequisite is a failure, not a skip).
     *
     * @throws IllegalStateException when {@link #arm64()} is false
     */
    public static void requireArm64() {
        if (!arm64()) {
            throw new IllegalStateException("this host does not emulate linux/arm64 (no enabled " + HANDLER
                    + " with flags F and P): run deploy/local/stack.sh up emulation as root, then restart the Docker daemon "
                    + "(deploy/local/stack.sh down docker; deploy/local/stack.sh up docker)");
        }
    }
}
