package dev.freshen.deploy;

import dev.freshen.builder.config.BuilderConfig;
import dev.freshen.notifier.config.NotifierConfig;
import dev.freshen.publisher.config.PublisherConfig;
import dev.freshen.tester.config.TesterConfig;
import dev.freshen.watcher.config.WatcherConfig;
import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one Freshen service expects of its deployment, read from the service itself: its {@code @ConfigMapping}
 * interface (every {@code freshen.*} setting, required or defaulted) and its application.properties (HTTP port,
 * application name = consumer group, input topics, dead-letter topics, environment variables it reads directly).
 */
record ServiceSpec(String name, Class<?> mapping) {

    static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("watcher", WatcherConfig.class),
            new ServiceSpec("builder", BuilderConfig.class),
            new ServiceSpec("tester", TesterConfig.class),
            new ServiceSpec("publisher", PublisherConfig.class),
            new ServiceSpec("notifier", NotifierConfig.class));

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

    static ServiceSpec of(String name) {
        return ALL.stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    String deployment() {
        return "freshen-" + name;
    }

    Properties applicationProperties() {
        return RepoFiles.applicationProperties(name);
    }

    int httpPort() {
        return Integer.parseInt(applicationProperties().getProperty("quarkus.http.port"));
    }

    /** Quarkus' default Kafka group.id. */
    String applicationName() {
        return applicationProperties().getProperty("quarkus.application.name");
    }

    /**
     * The topics of the channels configured as incoming in application.properties: a channel's {@code .topic} when
     * set (SmallRye Kafka's rule), else its name (channel name = topic name, the usual case).
     */
    Set<String> incomingTopics() {
        Set<String> topics = new TreeSet<>();
        Properties properties = applicationProperties();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = Pattern.compile("mp\\.messaging\\.incoming\\.\"([^\"]+)\"\\..*").matcher(key);
            if (m.matches()) {
                String channel = m.group(1);
                topics.add(properties.getProperty("mp.messaging.incoming.\"" + channel + "\".topic", channel).strip());
            }
        }
        return topics;
    }

    Set<String> deadLetterTopics() {
        Set<String> topics = new TreeSet<>();
        applicationProperties().forEach((k, v) -> {
            if (k.toString().endsWith(".dead-letter-queue.topic")) {
                topics.add(v.toString().strip());
            }
        });
        return topics;
    }

    /** Environment variables application.properties reads itself: ${FRESHEN_BUILDER_CONCURRENCY:2}. */
    Set<String> environmentReferences() {
        Set<String> names = new TreeSet<>();
        Matcher m = ENV_REFERENCE.matcher(RepoFiles.read(RepoFiles.root().resolve(name
                + "-service/src/main/resources/application.properties")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** freshen.* property name (map keys as '*') -> its description in the mapping; indexed list forms left out. */
    Map<String, Property> properties() {
        Map<String, Property> properties = new TreeMap<>();
        ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping, "freshen")).forEach((k, v) -> {
            if (!k.contains("[*]")) {
                properties.put(k, v);
            }
        });
        return properties;
    }

    static Optional<String> defaultOf(Property property) {
        return property.hasDefaultValue() ? Optional.of(property.getDefaultValue()) : Optional.empty();
    }

    /** The environment variable of a property, map keys shown as {@code <NAME>}: FRESHEN_REGISTRIES_CREDENTIALS_<NAME>_HOST. */
    static String environmentName(String property) {
        return property.replace("*", "\u0000").replaceAll("[^A-Za-z0-9\u0000]", "_").toUpperCase(Locale.ROOT)
                .replace("\u0000", "<NAME>");
    }

    /**
     * Whether an environment variable sets one of the mapping's properties. Map keys may be letters and digits only:
     * SmallRye cannot tell where a key with '_' ends (FRESHEN_REGISTRIES_CREDENTIALS_DOCKER_HUB_HOST is ignored).
     */
    boolean mapsEnvironment(String variable) {
        return mapsEnvironment(variable, Map.of());
    }

    /**
     * Same, where the system properties already name some map keys (a channel `platform-team` named by
     * -Dfreshen.notifier.channels.platform-team.type lets FRESHEN_NOTIFIER_CHANNELS_PLATFORM_TEAM_URL through).
     */
    boolean mapsEnvironment(String variable, Map<String, String> systemProperties) {
        StringBuilder names = new StringBuilder("[A-Z0-9]+");
        for (String key : mapKeys(systemProperties.keySet())) {
            names.append('|').append(Pattern.quote(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT)));
        }
        return properties().keySet().stream().map(ServiceSpec::environmentName)
                .map(env -> Pattern.quote(env).replace("<NAME>", "\\E(?:" + names + ")\\Q"))
                .anyMatch(variable::matches);
    }

    /** Whether a property name (a -D system property) is one of the mapping's, with any map key. */
    boolean mapsProperty(String name) {
        return properties().keySet().stream()
                .map(p -> Pattern.quote(p).replace("*", "\\E[^.]+\\Q"))
                .anyMatch(name::matches);
    }

    /** The map keys that property names give: platform-team of freshen.notifier.channels.platform-team.type. */
    private Set<String> mapKeys(Set<String> propertyNames) {
        Set<String> keys = new TreeSet<>();
        for (String pattern : properties().keySet()) {
            if (pattern.contains("*")) {
                Pattern p = Pattern.compile(Pattern.quote(pattern).replace("*", "\\E([^.]+)\\Q"));
                for (String name : propertyNames) {
                    Matcher m = p.matcher(name);
                    if (m.matches()) {
                        keys.add(m.group(1));
                    }
                }
            }
        }
        return keys;
    }

    /**
     * Reads the environment (and -D system properties) with the service's own mapping, as the service does at start:
     * it fails like the service does on a missing required setting or a value that does not convert.
     */
    Object configure(Map<String, String> environment, Map<String, String> systemProperties) {
        var config = new SmallRyeConfigBuilder().addDiscoveredConverters().withMapping(mapping)
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(systemProperties, "-D in JAVA_OPTS_APPEND", 400)).build();
        return config.getConfigMapping(mapping);
    }
}
