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
            try {
                QUARTZ.parse(schedule).validate();
            } catch (IllegalArgumentException e) {
                throw new InvalidField("schedule", "'" + schedule + "' is not a valid cron expression (Quartz: "
                        + "sec min hour day-of-month month day-of-week, e.g. '0 */15 * * * ?'): " + e.getMessage());
            }
        }
        InvalidField.required(target, "target");
        build = build == null ? Build.DEFAULT : build;
        checks = checks == null ? Checks.NONE : checks;
        channels = channels == null ? List.of() : List.copyOf(channels);
        for (String channel : channels) {
            if (channel == null || !CHANNEL.matcher(channel).matches()) {
                throw new InvalidField("notify", "'" + channel + "' is not a channel name (lowercase letters, digits, '-')");
            }
        }
    }
}
