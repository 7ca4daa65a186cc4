package dev.freshen.notifier.config;

import dev.freshen.notifier.JsonPost;
import dev.freshen.notifier.Notifier;
import dev.freshen.notifier.slack.SlackWebhook;
import dev.freshen.notifier.teams.TeamsFlavor;
import dev.freshen.notifier.teams.TeamsWebhook;
import dev.freshen.notifier.webhook.JsonWebhook;
import dev.freshen.notifier.webhook.StandardWebhooks;

import dev.freshen.retry.Failures;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns the configured channels into {@link Notifier}s, checking every setting first: the channel name (as
 * descriptors can write it), the type, exactly one of url / url-file, a readable file, an absolute http(s) URL, a
 * secret only where it is used and usable as a key, a Teams flavor only on Teams channels and not contradicting the
 * URL's host, default channels that exist. All problems are reported at once, each naming the setting; URLs and
 * secrets are never part of a message.
 *
 * <p>A Teams channel's flavor ({@link TeamsFlavor}) is its {@code flavor} setting when given, else the one its URL's
 * host belongs to, else Workflows (a host that is neither Microsoft's legacy nor its Workflows host, e.g. a proxy).
 */
public final class ChannelFactory {

    /** The types of channel. */
    public static final List<String> TYPES = List.of("teams", "slack", "webhook");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final String PREFIX = "freshen.notifier.";
    private static final String ENV_PREFIX = "FRESHEN_NOTIFIER_CHANNELS_";
    private static final List<String> ENV_SETTINGS = List.of("_URL_FILE", "_SECRET_FILE", "_FLAVOR", "_TYPE", "_URL",
            "_SECRET");

    /** One channel's raw settings. */
    public record Spec(Optional<String> type, Optional<String> url, Optional<Path> urlFile, Optional<String> secret,
                       Optional<Path> secretFile, Optional<String> flavor) {
    }

    /** The channels by name (sorted) and the names that apply when a descriptor names none. */
    public record Channels(Map<String, Notifier> byName, List<String> defaults) {
    }

    private ChannelFactory() {
    }

    /**
     * @param environment the names of the process's environment variables (to find channel settings that were lost)
     * @throws IllegalStateException listing every problem, when any setting is wrong
     */
    public static Channels build(Map<String, Spec> specs, Optional<List<String>> defaults, Set<String> environment,
                                 HttpClient http, Duration timeout, Clock clock) {
        List<String> problems = new ArrayList<>(lostEnvironmentSettings(environment, specs.keySet()));
        Map<String, Notifier> channels = new TreeMap<>();
        for (var entry : new TreeMap<>(specs).entrySet()) {
            String name = entry.getKey();
            Spec spec = entry.getValue();
            String key = PREFIX + "channels." + name + ".";
            if (!NAME.matcher(name).matches()) {
                problems.add(PREFIX + "channels." + name + ": '" + name
                        + "' is not a channel name (lowercase letters, digits and '-', as descriptors' notify: lists "
                        + "write them)");
                continue;
            }
            Optional<String> type = spec.type().map(String::strip);
            if (type.isEmpty()) {
                problems.add(key + "type: is required (one of " + String.join(", ", TYPES) + ")");
                continue;
            }
            if (!TYPES.contains(type.get())) {
                problems.add(key + "type: '" + type.get() + "' is not a channel type (one of "
                        + String.join(", ", TYPES) + ")");
                continue;
            }
            Optional<String> url = secretValue(spec.url(), spec.urlFile(), key, "url", true, problems);
            Optional<String> secret = secretValue(spec.secret(), spec.secretFile(), key, "secret", false, problems);
            String secretSetting = spec.secret().isPresent() ? "secret" : "secret-file";
            if (secret.isPresent() && !type.get().equals("webhook")) {
                problems.add(key + "secret: only webhook channels sign their posts; a " + type.get()
                        + " channel takes no secret");
            } else if (secret.isPresent()) {
                try {
                    StandardWebhooks.keys(secret.get());
                } catch (IllegalArgumentException e) {
                    problems.add(key + secretSetting + ": " + e.getMessage() + " (value not shown: it is a secret)");
                    secret = Optional.empty();
                }
            }
            String urlSetting = spec.url().isPresent() ? "url" : "url-file";
            Optional<URI> uri = url.flatMap(u -> endpoint(u, key, urlSetting, problems));
            Optional<TeamsFlavor> flavor = flavor(spec.flavor(), type.get(), uri, key, urlSetting, problems);
            if (uri.isEmpty()) {
                continue;
            }
            JsonPost post = new JsonPost(http, uri.get(), timeout, type.get(), clock);
            Optional<String> signing = secret;
            channels.put(name, switch (type.get()) {
                case "teams" -> new TeamsWebhook(post, flavor.orElse(TeamsFlavor.WORKFLOWS));
                case "slack" -> new SlackWebhook(post);
                default -> new JsonWebhook(post, signing, clock);
            });
        }
        List<String> defaultChannels = defaults.map(List::copyOf)
                .orElseGet(() -> specs.keySet().stream().sorted().toList());
        if (defaults.isPresent()) {
            List<String> unknown = defaultChannels.stream().filter(d -> !specs.containsKey(d)).toList();
            if (!unknown.isEmpty()) {
                problems.add(PREFIX + "default-channels: " + unknown + " not configured (configured: "
                        + (specs.isEmpty() ? "none" : String.join(", ", new TreeMap<>(specs).keySet())) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid notifier configuration:\n  - " + String.join("\n  - ", problems));
        }
        return new Channels(new LinkedHashMap<>(channels), defaultChannels);
    }

    /**
     * Environment variables that look like channel settings but belong to no configured channel. Configuration cannot
     * tell from {@code FRESHEN_NOTIFIER_CHANNELS_PLATFORM_TEAM_URL} alone where the channel name ends (or that it is
     * {@code platform-team}), so such a channel would silently not exist.
     */
    static List<String> lostEnvironmentSettings(Set<String> environment, Set<String> channels) {
        Set<String> known = new TreeSet<>();
        channels.forEach(c -> known.add(c.toUpperCase(Locale.ROOT).replace('-', '_')));
        List<String> lost = new ArrayList<>();
        for (String variable : new TreeSet<>(environment)) {
            if (!variable.startsWith(ENV_PREFIX)) {
                continue;
            }
            String rest = variable.substring(ENV_PREFIX.length());
            Optional<String> channel = ENV_SETTINGS.stream().filter(rest::endsWith).findFirst()
                    .map(setting -> rest.substring(0, rest.length() - setting.length()));
            if (channel.isPresent() && !known.contains(channel.get())) {
                String name = channel.get().toLowerCase(Locale.ROOT);
                String dashed = name.replace('_', '-');
                lost.add("environment variable " + variable + ": no configured channel is named " + name
                        + (dashed.equals(name) ? "" : " (or " + dashed + ")") + ": a name with '-' cannot be given by environment variables alone; set one of its "
                        + "settings as a property, e.g. freshen.notifier.channels." + dashed + ".type in "
                        + "application.properties");
            }
        }
        return lost;
    }

    /**
     * A Teams channel's flavor: the setting (which must name a flavor and agree with a Microsoft host), else the
     * host's; empty for other channel types and when it cannot be told (a bad setting, already reported).
     */
    private static Optional<TeamsFlavor> flavor(Optional<String> setting, String type, Optional<URI> url, String key,
                                                String urlSetting, List<String> problems) {
        if (setting.isPresent() && !type.equals("teams")) {
            problems.add(key + "flavor: only teams channels have a flavor (workflows or legacy); a " + type
                    + " channel takes none");
            return Optional.empty();
        }
        if (!type.equals("teams")) {
            return Optional.empty();
        }
        Optional<TeamsFlavor> ofHost = url.flatMap(TeamsFlavor::ofHost);
        if (setting.isEmpty()) {
            return ofHost;
        }
        Optional<TeamsFlavor> named = TeamsFlavor.ofSetting(setting.get());
        if (named.isEmpty()) {
            problems.add(key + "flavor: '" + setting.get().strip() + "' is not a Teams flavor (workflows or legacy)");
            return Optional.empty();
        }
        if (ofHost.isPresent() && ofHost.get() != named.get()) {
            problems.add(key + "flavor: is " + named.get().setting() + " but the host of " + key + urlSetting
                    + " is a " + (ofHost.get() == TeamsFlavor.LEGACY ? "legacy incoming webhook" : "Workflows")
                    + " host: remove the flavor or fix the URL");
            return Optional.empty();
        }
        return named;
    }

    /** A value given directly or in a file: exactly one of the two (when required), never blank. */
    private static Optional<String> secretValue(Optional<String> value, Optional<Path> file, String key, String setting,
                                               boolean required, List<String> problems) {
        if (value.isPresent() && file.isPresent()) {
            problems.add(key + setting + " and " + key + setting + "-file: set one of them, not both");
            return Optional.empty();
        }
        if (file.isPresent()) {
            Path path = file.get();
            try {
                String text = Files.readString(path).strip();
                if (text.isEmpty()) {
                    problems.add(key + setting + "-file: " + path + " is empty");
                    return Optional.empty();
                }
                return Optional.of(text);
            } catch (NoSuchFileException e) {
                problems.add(key + setting + "-file: no such file " + path);
                return Optional.empty();
            } catch (AccessDeniedException e) {
                problems.add(key + setting + "-file: cannot read " + path + " (permission denied)");
                return Optional.empty();
            } catch (IOException | RuntimeException e) {
                problems.add(key + setting + "-file: cannot read " + path + " ("
                        + (Files.isDirectory(path) ? "a folder, not a file" : Failures.plainWords(e)) + ")");
                return Optional.empty();
            }
        }
        if (value.isPresent() && value.get().isBlank()) {
            problems.add(key + setting + ": is blank");
            return Optional.empty();
        }
        if (value.isEmpty() && required) {
            problems.add(key + setting + ": is required (or " + key + setting + "-file)");
        }
        return value.map(String::strip);
    }

    /** The URL as an absolute http(s) URI; the problem, if any, does not quote it. */
    private static Optional<URI> endpoint(String url, String key, String setting, List<String> problems) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return Optional.of(uri);
            }
            problems.add(key + setting
                    + ": is not an absolute http(s) URL with a host (value not shown: it is a secret)");
        } catch (URISyntaxException e) {
            problems.add(key + setting + ": is not a valid URL: " + e.getReason() + " at index " + e.getIndex()
                    + " (value not shown: it is a secret)");
        }
        return Optional.empty();
    }
}
