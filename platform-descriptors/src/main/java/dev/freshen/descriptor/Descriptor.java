package dev.freshen.descriptor;

import com.cronutils.model.CronType;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import dev.freshen.events.Durations;
import dev.freshen.events.image.Platform;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The contents of a {@code platform-image.yaml}: when to check ({@code schedule}, a Quartz cron expression as used by
 * the Quarkus scheduler; absent = the watcher's default), where to publish ({@code target}), how to build
 * ({@code build}), how to prove it ({@code integrationTest}, {@code checks}) and whom to tell ({@code notify}: notification channel names).
 *
 * <p>{@code platforms}: the platforms the image is built for ({@code os/architecture[/variant]}); empty means the
 * services' {@code freshen.registries.platform} (linux/amd64 unless set). The watcher compares, per base, the image
 * manifest of these platforms, so a base index whose other platforms moved starts no run. Two or more platforms build
 * one image per platform, published together as one OCI image index; one platform (native or not) stays a plain image
 * manifest. Only {@code linux/*}: the builders are Linux engines. {@code settle}: how long a base's digests must stay unchanged before a run starts (vendors roll out
 * multi-platform updates over minutes to hours: one run for a roll-out); {@code null} = start at once.
 * {@code scan}: what the registry's image scan of the candidate decides ({@link ScanPolicy}); default: nothing.
 * {@code rebuildOnChange}: whether a changed definition (Dockerfile, build context, build settings) starts a run by
 * itself ({@code null} = true, {@link #rebuildsOnChange()}); false keeps such changes for a forced run (manual releases).
 */
public record Descriptor(String schedule, Target target, Build build, IntegrationTest integrationTest, Checks checks,
                         @JsonProperty("notify") List<String> channels, List<Platform> platforms, Duration settle,
                         ScanPolicy scan, Boolean rebuildOnChange) {

    /** The longest settle window: a day (a roll-out that takes longer is two roll-outs). */
    static final Duration MAX_SETTLE = Duration.ofHours(24);

    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public Descriptor {
        if (schedule != null) {
            checkSchedule(schedule);
        }
        InvalidField.required(target, "target");
        build = build == null ? Build.DEFAULT : build;
        checks = checks == null ? Checks.NONE : checks;
        channels = channels == null ? List.of() : List.copyOf(channels);
        channels.forEach(Descriptor::checkChannel);
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        checkPlatforms(platforms);
        if (integrationTest != null) {
            checkTestPlatforms(integrationTest.platforms(), platforms);
        }
        if (settle != null) {
            checkSettle(settle);
        }
        scan = scan == null ? ScanPolicy.NONE : scan;
    }

    /** The descriptor without {@code rebuildOnChange} (true). */
    public Descriptor(String schedule, Target target, Build build, IntegrationTest integrationTest, Checks checks,
                      List<String> channels, List<Platform> platforms, Duration settle, ScanPolicy scan) {
        this(schedule, target, build, integrationTest, checks, channels, platforms, settle, scan, null);
    }

    /** Whether a changed definition starts a run by itself ({@code rebuildOnChange}, default true). */
    public boolean rebuildsOnChange() {
        return rebuildOnChange == null || rebuildOnChange;
    }

    /** The descriptor without a scan policy. */
    public Descriptor(String schedule, Target target, Build build, IntegrationTest integrationTest, Checks checks,
                      List<String> channels, List<Platform> platforms, Duration settle) {
        this(schedule, target, build, integrationTest, checks, channels, platforms, settle, null);
    }

    /** The descriptor of the seed's fields, without platforms or settle window. */
    public Descriptor(String schedule, Target target, Build build, IntegrationTest integrationTest, Checks checks,
                      List<String> channels) {
        this(schedule, target, build, integrationTest, checks, channels, null, null, null);
    }

    /** The platforms to build: {@code platforms}, or {@code fallback} (the services' platform setting) when empty. */
    public List<Platform> platformsOr(Platform fallback) {
        return platforms.isEmpty() ? List.of(fallback) : platforms;
    }

    /** Any number of platforms, each once, each {@code linux/*} (a Linux engine builds no other). */
    static void checkPlatforms(List<Platform> platforms) {
        if (new HashSet<>(platforms).size() != platforms.size()) {
            throw new InvalidField("platforms", "lists a platform twice: " + platforms);
        }
        for (Platform p : platforms) {
            if (!p.os().equals("linux")) {
                throw new InvalidField("platforms", "names " + p + ": Freshen builds on Linux engines, so only linux "
                        + "platforms (e.g. linux/amd64, linux/arm64)");
            }
        }
    }

    /**
     * {@code integrationTest.platforms} is a subset of {@code platforms}, and written only next to {@code platforms}
     * (the services' default platform is not known when a descriptor is read).
     */
    static void checkTestPlatforms(List<Platform> testPlatforms, List<Platform> platforms) {
        if (testPlatforms.isEmpty()) {
            return;
        }
        if (platforms.isEmpty()) {
            throw new InvalidField("integrationTest.platforms", "needs platforms: at the top level too; list the "
                    + "image's platforms there, then the ones the application runs on here");
        }
        for (Platform p : testPlatforms) {
            if (!platforms.contains(p)) {
                throw new InvalidField("integrationTest.platforms", "names " + p + ", which the image is not built for "
                        + "(platforms: " + String.join(", ", platforms.stream().map(Platform::toString).toList()) + ")");
            }
        }
    }

    /** A settle window from 1s to 24h. */
    static void checkSettle(Duration settle) {
        if (settle.isNegative() || settle.isZero() || settle.compareTo(MAX_SETTLE) > 0) {
            throw new InvalidField("settle", "must be between 1s and 24h, was " + Durations.human(settle)
                    + " (leave settle out to start runs at once)");
        }
    }

    /** A Quartz cron expression, as the Quarkus scheduler reads it. */
    static void checkSchedule(String schedule) {
        int fields = schedule.isBlank() ? 0 : schedule.strip().split("\\s+").length;
        if (fields != 6 && fields != 7) {
            throw new InvalidField("schedule", "'" + schedule + "' is not a valid cron expression: it has " + fields
                    + (fields == 1 ? " field" : " fields") + ", a Quartz cron expression has 6 (seconds minutes hours "
                    + "day-of-month month day-of-week) or 7 (and the year)");
        }
        try {
            QUARTZ.parse(schedule).validate();
        } catch (IllegalArgumentException e) {
            throw new InvalidField("schedule", "'" + schedule + "' is not a valid cron expression: "
                    + lowerFirst(e.getMessage()));
        }
    }

    /** A notification channel name as configured in {@code freshen.notifier.channels.<name>}. */
    static void checkChannel(String channel) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new InvalidField("notify", "'" + channel + "' is not a channel name (lowercase letters, digits, '-')");
        }
    }

    private static String lowerFirst(String text) {
        return text == null || text.isEmpty() ? "not readable" : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
