package dev.freshen.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of the HTTP {@code Retry-After} header (RFC 9110 §10.2.3): {@code delay-seconds} (one or more
 * digits) or an {@code HTTP-date}, which recipients must accept in all three formats of §5.6.7: IMF-fixdate
 * ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the obsolete RFC 850 form ({@code Sunday, 06-Nov-94 08:49:37 GMT}, a
 * two-digit year more than 50 years ahead meaning the past century) and asctime ({@code Sun Nov  6 08:49:37 1994}).
 * How long a wait may be is not decided here: {@link Retry} compares the result with the policy's max-backoff.
 */
public final class RetryAfter {

    /** A delay-seconds this long stands for "longer than any wait anyone would configure". */
    private static final int MAX_DIGITS = 12;
    private static final Pattern SECONDS = Pattern.compile("\\d+");
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);
    private static final Pattern RFC_850 = Pattern.compile(
            "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-([A-Z][a-z]{2})-(\\d{2}) "
                    + "(\\d{2}:\\d{2}:\\d{2}) GMT");
    private static final DateTimeFormatter RFC_850_REST =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    private RetryAfter() {
    }

    /**
     * The wait a {@code Retry-After} value asks for, from {@code now}.
     *
     * @return empty when the value is missing or malformed (a negative number, a fraction, an unknown date format);
     * zero for a date in the past; a very long wait (over 31,000 years) for a delay of more than 12 digits
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String text = value.strip();
        if (SECONDS.matcher(text).matches()) {
            String digits = text.replaceFirst("^0+(?=\\d)", "");
            return Optional.of(digits.length() > MAX_DIGITS ? Duration.ofSeconds((long) Math.pow(10, MAX_DIGITS))
                    : Duration.ofSeconds(Long.parseLong(digits)));
        }
        return date(text, now).map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    }

    private static Optional<Instant> date(String text, Instant now) {
        try {
            return Optional.of(LocalDateTime.parse(text, IMF_FIXDATE).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            // not IMF-fixdate: try the obsolete formats
        }
        Matcher rfc850 = RFC_850.matcher(text);
        if (rfc850.matches()) {
            int thisYear = now.atOffset(ZoneOffset.UTC).getYear();
            int year = thisYear / 100 * 100 + Integer.parseInt(rfc850.group(3));
            if (year > thisYear + 50) {
                year -= 100;
            }
            try {
                return Optional.of(LocalDateTime.parse(rfc850.group(1) + "-" + rfc850.group(2) + "-" + year + " "
                        + rfc850.group(4), RFC_850_REST).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(LocalDateTime.parse(text, ASCTIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
