package dev.freshen.descriptor;

import com.cronutils.model.CronType;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The contents of a {@code platform-image.yaml}: when to check ({@code schedule}, a Quartz cron expression as used by
 * the Quarkus scheduler; absent = the watcher's default), where to publish ({@code target}), how to build
 * ({@code build}), how to prove it ({@code integrationTest}, {@code checks}) and whom to tell ({@code notify}: notification channel names).
 */
public record Descriptor(String schedule, Target target, Build build, IntegrationTest integrationTest, Checks checks,
                         @JsonProperty("notify") List<String> channels) {

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
