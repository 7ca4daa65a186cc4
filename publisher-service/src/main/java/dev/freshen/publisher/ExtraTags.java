package dev.freshen.publisher;

import dev.freshen.events.image.VersionTag;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target's {@code extraTags} for one run. Templates: {@code {runId}} (the run id), {@code {date}} (the UTC date the
 * image was verified, {@code yyyyMMdd}) and {@code {version}} (the version number, {@code 1.4.0}). A tag with
 * {@code {runId}} or {@code {version}} names one run's image for good; every other extra tag ({@code latest},
 * {@code 10.0}, {@code nightly-{date}}) is <em>moving</em>: it moves to each new version, and only ever forward.
 */
public final class ExtraTags {

    /** One expanded extra tag. */
    public record ExtraTag(String tag, boolean moving) {
    }

    public static final Set<String> TEMPLATES = Set.of("runId", "date", "version");
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern TAG = Pattern.compile("\\w[\\w.-]{0,127}");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private ExtraTags() {
    }

    /**
     * The extra tags of a run in descriptor order, expanded, without duplicates and without the version tag itself.
     *
     * @param verifiedAt when the image was verified (the {@code ImageVerified} event's time), so that a redelivered
     *                   event expands {@code {date}} the same way
     * @throws PublishFailure (permanent) for an unknown template or a tag that expands to something invalid
     */
    public static List<ExtraTag> expand(List<String> templates, String runId, Instant verifiedAt, VersionTag version) {
        Set<String> seen = new LinkedHashSet<>();
        seen.add(version.tag());
        List<ExtraTag> tags = new ArrayList<>();
        for (String template : templates) {
            String tag = expand(template, runId, DATE.format(verifiedAt), version.version());
            if (!TAG.matcher(tag).matches()) {
                throw PublishFailure.permanent(PublishFailure.EXTRA_TAG_INVALID, "extra tag '" + template + "' expands to '" + tag
                        + "', which is not a valid tag (up to 128 letters, digits, '_', '.' or '-')");
            }
            if (VersionTag.parse(version.prefix(), tag).isPresent() && !tag.equals(version.tag())) {
                throw PublishFailure.permanent(PublishFailure.EXTRA_TAG_INVALID, "extra tag '" + template + "' expands to '" + tag
                        + "', a version tag of prefix " + version.prefix() + "; versions are assigned by the publisher");
            }
            if (seen.add(tag)) {
                tags.add(new ExtraTag(tag, isMoving(template)));
            }
        }
        return tags;
    }

    /** Whether an extra tag moves from version to version (it has neither {@code {runId}} nor {@code {version}}). */
    public static boolean isMoving(String template) {
        return !template.contains("{runId}") && !template.contains("{version}");
    }

    /** The ECR wildcard filter matching every expansion of a template: each {@code {...}} becomes {@code *}. */
    public static String wildcard(String template) {
        return TEMPLATE.matcher(template).replaceAll("*");
    }

    private static String expand(String template, String runId, String date, String version) {
        Matcher matcher = TEMPLATE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = switch (matcher.group(1)) {
                case "runId" -> runId;
                case "date" -> date;
                case "version" -> version;
                default -> throw PublishFailure.permanent(PublishFailure.EXTRA_TAG_INVALID, "extra tag '" + template + "': unknown template {"
                        + matcher.group(1) + "} (known: {runId}, {date}, {version})");
            };
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
