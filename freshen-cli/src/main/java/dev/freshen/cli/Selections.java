package dev.freshen.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses selection options (ages, times, offset ranges, time-outs), with errors that say why. */
final class Selections {

    private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");
    private static final Pattern RANGE = Pattern.compile("(\\d+)(?:-(\\d+))?");

    private Selections() {
    }

    /**
     * A duration as operators write it: a number and a unit, {@code 45s}, {@code 30m}, {@code 2h}, {@code 1d}.
     *
     * @param option the option's name, for the error message
     * @throws CliException when {@code value} is not such a duration, or is zero
     */
    static Duration duration(String value, String option) {
        Matcher m = AGE.matcher(value.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new CliException(option + " '" + value + "': expected a duration such as 90s, 30m or 2h");
        }
        return age(m);
    }

    /** The earliest time {@code --since} admits: {@code now} minus an age (30m, 2h, 7d), or an ISO-8601 instant. */
    static Instant since(String value, Instant now) {
        Matcher age = AGE.matcher(value.strip());
        if (age.matches()) {
            return now.minus(age(age));
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new CliException("--since '" + value + "': expected an age such as 30m, 2h or 7d, or a time such as "
                    + "2026-11-27T10:00:00Z");
        }
    }

    private static Duration age(Matcher age) {
        long amount = Long.parseLong(age.group(1));
        return switch (age.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
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
