package dev.freshen.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the selection options of {@code freshen dlq}: ages, times and offset ranges, with errors that say why. */
final class Selections {

    private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");
    private static final Pattern RANGE = Pattern.compile("(\\d+)(?:-(\\d+))?");

    private Selections() {
    }

    /** The earliest time {@code --since} admits: {@code now} minus an age (30m, 2h, 7d), or an ISO-8601 instant. */
    static Instant since(String value, Instant now) {
        Matcher age = AGE.matcher(value.strip());
        if (age.matches()) {
            long amount = Long.parseLong(age.group(1));
            Duration duration = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return now.minus(duration);
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new CliException("--since '" + value + "': expected an age such as 30m, 2h or 7d, or a time such as "
                    + "2026-11-27T10:00:00Z");
        }
    }

    /** An inclusive offset range, {@code 10-20} or a single offset {@code 12}. */
    static Range offsetRange(String value) {
        Matcher m = RANGE.matcher(value.strip());
        if (!m.matches()) {
            throw new CliException("--offsets '" + value + "': expected FROM-TO (e.g. 10-20) or one offset");
        }
        long from = Long.parseLong(m.group(1));
        long to = m.group(2) == null ? from : Long.parseLong(m.group(2));
        if (to < from) {
            throw new CliException("--offsets '" + value + "': the range ends before it starts");
        }
        return new Range(from, to);
    }

    record Range(long from, long to) {
        boolean contains(long offset) {
            return offset >= from && offset <= to;
        }
    }
}
