package dev.freshen.docker;

import dev.freshen.events.image.Platform;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The smallest Linux programs that prove a platform's binaries run: a static ELF executable per architecture whose
 * only instructions are {@code exit(0)}. {@link EnginePlatforms} copies one into a {@code FROM scratch} image and
 * runs it with {@code RUN}, so a probe build needs nothing pulled and no file on the builder's disk.
 *
 * <p>Each file is one {@code PT_LOAD} segment (read + execute) at {@value #BASE}, mapping the whole file, with the
 * entry point right after the ELF and program headers. Layout from the System V ABI (ELF header and program header,
 * {@code e_ident}, {@code e_machine} numbers from {@code elf.h}); the exit system call per architecture from the
 * Linux syscall tables ({@code arch/x86/entry/syscalls}, {@code include/uapi/asm-generic/unistd.h} for arm64 and
 * riscv64, {@code arch/arm/tools/syscall.tbl}, {@code arch/powerpc/kernel/syscalls/syscall.tbl}).
 *
 * <p>Platforms: {@code linux/amd64}, {@code linux/386}, {@code linux/arm64}, {@code linux/arm} (v6 and v7, ARM EABI
 * code), {@code linux/riscv64}, {@code linux/ppc64le}. Sizes: 93 to 132 bytes.
 */
public final class ProbeBinaries {

    /** Where the segment is loaded: 4 MiB, aligned to every page size Linux uses (4 KiB to 64 KiB). */
    static final long BASE = 0x400000L;

    private static final short ET_EXEC = 2;
    private static final int PT_LOAD = 1;
    private static final int PF_R_X = 5;

    /** One architecture's ELF header values and its {@code exit(0)} code, little-endian. */
    private record Machine(boolean elf64, short machine, int flags, byte[] code) {
    }

    private ProbeBinaries() {
    }

    /** The probe program of {@code platform}; empty for a platform without one (another OS, or an architecture above). */
    public static Optional<byte[]> of(Platform platform) {
        return machine(platform).map(ProbeBinaries::elf);
    }

    private static Optional<Machine> machine(Platform platform) {
        if (!platform.os().equals("linux")) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (platform.architecture()) {
            // mov eax, 60 (exit); xor edi, edi; syscall
            case "amd64" -> new Machine(true, (short) 62, 0, bytes(0xb8, 0x3c, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05));
            // mov eax, 1 (exit); xor ebx, ebx; int 0x80
            case "386" -> new Machine(false, (short) 3, 0, bytes(0xb8, 0x01, 0, 0, 0, 0x31, 0xdb, 0xcd, 0x80));
            // mov x0, #0; mov x8, #93 (exit); svc #0
            case "arm64" -> new Machine(true, (short) 183, 0, words(0xd2800000, 0xd2800ba8, 0xd4000001));
            // mov r0, #0; mov r7, #1 (exit); svc #0 (EABI version 5 in e_flags)
            case "arm" -> "v6".equals(platform.variant()) || "v7".equals(platform.variant())
                    ? new Machine(false, (short) 40, 0x05000000, words(0xe3a00000, 0xe3a07001, 0xef000000)) : null;
            // li a0, 0; li a7, 93 (exit); ecall
            case "riscv64" -> new Machine(true, (short) 243, 0, words(0x00000513, 0x05d00893, 0x00000073));
            // li r0, 1 (exit); li r3, 0; sc (ELFv2 ABI in e_flags)
            case "ppc64le" -> new Machine(true, (short) 21, 2, words(0x38000001, 0x38600000, 0x44000002));
            default -> null;
        });
    }

    private static byte[] elf(Machine m) {
        int ehsize = m.elf64() ? 64 : 52;
        int phentsize = m.elf64() ? 56 : 32;
        int size = ehsize + phentsize + m.code().length;
        long entry = BASE + ehsize + phentsize;
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[]{0x7f, 'E', 'L', 'F', (byte) (m.elf64() ? 2 : 1), 1 /* little-endian */, 1 /* EV_CURRENT */,
                0 /* System V */, 0, 0, 0, 0, 0, 0, 0, 0});
        out.putShort(ET_EXEC).putShort(m.machine()).putInt(1);
        if (m.elf64()) {
            out.putLong(entry).putLong(ehsize).putLong(0); // e_entry, e_phoff, e_shoff
        } else {
            out.putInt((int) entry).putInt(ehsize).putInt(0);
        }
        out.putInt(m.flags()).putShort((short) ehsize).putShort((short) phentsize).putShort((short) 1)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0); // no section headers
        if (m.elf64()) {
            out.putInt(PT_LOAD).putInt(PF_R_X).putLong(0).putLong(BASE).putLong(BASE).putLong(size).putLong(size)
                    .putLong(0x10000);
        } else {
            out.putInt(PT_LOAD).putInt(0).putInt((int) BASE).putInt((int) BASE).putInt(size).putInt(size)
                    .putInt(PF_R_X).putInt(0x10000);
        }
        out.put(m.code());
        return out.array();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] words(int... instructions) {
        ByteBuffer out = ByteBuffer.allocate(instructions.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int instruction : instructions) {
            out.putInt(instruction);
        }
        return out.array();
    }
}
