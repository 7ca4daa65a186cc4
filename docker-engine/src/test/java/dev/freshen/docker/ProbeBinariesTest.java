package dev.freshen.docker;

import dev.freshen.events.image.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The probe programs read as ELF files say they must, and really run: natively for this machine's architecture, and
 * through Debian's {@code qemu-<arch>-static} (the emulator binfmt_misc hands foreign binaries to) for the others.
 */
class ProbeBinariesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"linux/amd64, 2, 62", "linux/386, 1, 3", "linux/arm64, 2, 183", "linux/arm/v7, 1, 40",
            "linux/arm/v6, 1, 40", "linux/riscv64, 2, 243", "linux/ppc64le, 2, 21"})
    void eachProbeIsAStaticLittleEndianExecutableOfItsMachineWithOneLoadSegmentCoveringTheFile(String platform,
                                                                                           int elfClass, int machine) {
        byte[] elf = ProbeBinaries.of(Platform.parse(platform)).orElseThrow();
        ByteBuffer in = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x464c457f, in.getInt(0), "ELF magic");
        assertEquals(elfClass, elf[4], "32 or 64 bit");
        assertEquals(1, elf[5], "little-endian");
        assertEquals(2, in.getShort(16), "ET_EXEC");
        assertEquals(machine, in.getShort(18), "e_machine");
        boolean wide = elfClass == 2;
        long entry = wide ? in.getLong(24) : in.getInt(24);
        int phoff = (int) (wide ? in.getLong(32) : in.getInt(28));
        int phnum = in.getShort(wide ? 56 : 44);
        assertEquals(1, phnum);
        assertEquals(1, in.getInt(phoff), "PT_LOAD");
        long filesz = wide ? in.getLong(phoff + 32) : in.getInt(phoff + 16);
        long vaddr = wide ? in.getLong(phoff + 16) : in.getInt(phoff + 8);
        assertEquals(elf.length, filesz, "the segment maps the whole file");
        assertTrue(entry > vaddr && entry < vaddr + elf.length, "the entry point lies in the segment");
        assertTrue(elf.length < 160, elf.length + " bytes");
    }

    @Test
    void platformsWithoutAProbeHaveNone() {
        assertTrue(ProbeBinaries.of(Platform.parse("linux/s390x")).isEmpty());
        assertTrue(ProbeBinaries.of(Platform.parse("windows/amd64")).isEmpty());
        assertTrue(ProbeBinaries.of(Platform.parse("linux/arm/v5")).isEmpty(), "v5 lacks the EABI this code is");
    }

    @Test
    void theAmd64ProbeRunsHereAndExitsZero() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "this machine is not amd64");
        assertEquals(0, run(write("linux/amd64")));
    }

    @ParameterizedTest
    @CsvSource({"linux/arm64, aarch64", "linux/arm/v7, arm", "linux/riscv64, riscv64", "linux/ppc64le, ppc64le",
            "linux/386, i386"})
    void eachForeignProbeRunsUnderItsQemuEmulatorAndExitsZero(String platform, String qemu) throws Exception {
        Path emulator = Path.of("/usr/bin/qemu-" + qemu + "-static");
        assumeTrue(Files.isExecutable(emulator), emulator + " is not installed (Debian's qemu-user-static)");
        assertEquals(0, run(emulator.toString(), write(platform).toString()));
    }

    @Test
    void aProbeDoesNotRunOnAnotherArchitecture() throws Exception {
        Path emulator = Path.of("/usr/bin/qemu-aarch64-static");
        assumeTrue(Files.isExecutable(emulator), emulator + " is not installed (Debian's qemu-user-static)");
        assertNotEquals(0, run(emulator.toString(), write("linux/amd64").toString()), "the check above can fail");
    }

    private Path write(String platform) throws IOException {
        Path file = dir.resolve(platform.replace('/', '-'));
        Files.write(file, ProbeBinaries.of(Platform.parse(platform)).orElseThrow());
        assertTrue(file.toFile().setExecutable(true));
        return file;
    }

    private static int run(Object... command) throws Exception {
        List<String> argv = new ArrayList<>();
        for (Object part : command) {
            argv.add(part.toString());
        }
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "ran within 30s");
        return process.exitValue();
    }
}
