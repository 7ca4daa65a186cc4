package dev.freshen.events.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image platform as the OCI image index names it ({@code platform.os}, {@code platform.architecture},
 * {@code platform.variant}), written {@code os/architecture[/variant]}: {@code linux/amd64}, {@code linux/arm64},
 * {@code linux/arm/v7}.
 *
 * <p>Normalised the way containerd's {@code platforms.Normalize} does it, so that the spellings registries and
 * builders use for one platform compare equal: {@code aarch64} is {@code arm64}, {@code x86_64} and {@code x86-64} are
 * {@code amd64}; {@code arm64/v8} is {@code arm64} (v8 is its only variant), {@code amd64/v1} is {@code amd64}, and
 * {@code arm} without a variant is {@code arm/v7}. Source: github.com/containerd/platforms, {@code database.go}.
 */
public record Platform(String os, String architecture, String variant) {

    private static final Pattern PART = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Map<String, String> ARCHITECTURES = Map.of("aarch64", "arm64", "x86_64", "amd64",
            "x86-64", "amd64", "armhf", "arm", "armel", "arm", "i386", "386");

    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);

    /**
     * A normalised platform.
     *
     * @throws IllegalArgumentException when a part is empty or not lowercase letters, digits, '.', '_', '-'
     */
    public Platform {
        os = part(os, "os");
        String arch = part(architecture, "architecture");
        architecture = ARCHITECTURES.getOrDefault(arch, arch);
        variant = variant == null || variant.isEmpty() ? null : part(variant, "variant");
        if (architecture.equals("arm64") && "v8".equals(variant) || architecture.equals("amd64") && "v1".equals(variant)) {
            variant = null;
        } else if (architecture.equals("arm") && variant == null) {
            variant = "v7";
        }
    }

    /**
     * Reads {@code os/architecture[/variant]}, e.g. {@code linux/amd64}.
     *
     * @throws IllegalArgumentException naming the text and the form when it is not one
     */
    @JsonCreator
    public static Platform parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("'" + text + "' is not a platform: write os/architecture, e.g. "
                    + "linux/amd64, linux/arm64 or linux/arm/v7");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** {@code os/architecture[/variant]}, normalised. */
    @JsonValue
    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }

    private static String part(String value, String name) {
        String lower = Objects.requireNonNull(value, name).strip().toLowerCase(Locale.ROOT);
        if (!PART.matcher(lower).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a platform " + name
                    + " (lowercase letters, digits, '.', '_', '-'), e.g. linux/amd64");
        }
        return lower;
    }
}
