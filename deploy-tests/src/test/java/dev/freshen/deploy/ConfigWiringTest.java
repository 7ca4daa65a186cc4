package dev.freshen.deploy;

import dev.freshen.notifier.config.NotifierConfig;
import dev.freshen.registry.config.RegistriesConfig;
import dev.freshen.watcher.config.WatcherConfig;
import io.fabric8.kubernetes.api.model.Volume;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For each overlay and service: the environment and files its Deployment gives the service are exactly what the
 * service reads. The environment goes through the service's own @ConfigMapping with SmallRye Config (as at start:
 * missing required settings and unconvertible values fail), every FRESHEN_* variable must be a setting of that
 * service (SmallRye itself ignores unknown environment variables, so a typo would silently be a default), every
 * *-file setting must name a file a mounted Secret key provides, and the rules the services check at start hold.
 */
class ConfigWiringTest {

    private static final Set<String> OTHER_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JAVA_OPTS", "JAVA_OPTS_APPEND",
            "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH");
    private static final List<String> OTHER_PREFIXES = List.of("KAFKA_", "QUARKUS_", "MP_MESSAGING_", "SMALLRYE_", "AWS_");

    @TestFactory
    Stream<DynamicTest> everySettingIsWiredAndKnown() {
        return Kustomize.overlays().stream().flatMap(dir -> ServiceSpec.ALL.stream().map(spec ->
                DynamicTest.dynamicTest(RenderTest.name(dir) + " " + spec.name(), () -> {
                    Manifests manifests = Kustomize.render(dir);
                    PodEnv pod = new PodEnv(manifests, manifests.deployment(spec.deployment()), spec.name());
                    Map<String, String> properties = systemProperties(pod);
                    List<String> errors = new ArrayList<>(pod.problems);
                    errors.addAll(unknownVariables(spec, pod, properties));
                    errors.addAll(secretFiles(spec, pod, properties));
                    errors.addAll(platformImages(pod));
                    errors.addAll(kafka(pod));
                    try {
                        errors.addAll(rules(spec.configure(pod.environment, properties), manifests, pod));
                    } catch (RuntimeException e) {
                        errors.add("the " + spec.name() + " would not start: " + e.getMessage());
                    }
                    assertTrue(errors.isEmpty(), manifests + " " + spec.deployment() + ":\n  " + String.join("\n  ", errors)
                            + "\n  (environment: " + pod.environment.keySet() + ")");
                })));
    }

    /** -Dfreshen.* options in JAVA_OPTS_APPEND (the images add it to the java command line). */
    private static Map<String, String> systemProperties(PodEnv pod) {
        Map<String, String> properties = new TreeMap<>();
        for (String option : pod.environment.getOrDefault("JAVA_OPTS_APPEND", "").trim().split("\\s+")) {
            int eq = option.indexOf('=');
            if (option.startsWith("-Dfreshen.") && eq > 0) {
                properties.put(option.substring(2, eq), option.substring(eq + 1));
            }
        }
        return properties;
    }

    private static List<String> unknownVariables(ServiceSpec spec, PodEnv pod, Map<String, String> properties) {
        List<String> errors = new ArrayList<>();
        properties.keySet().stream().filter(p -> !spec.mapsProperty(p))
                .forEach(p -> errors.add("-D" + p + " is not a setting of the " + spec.name()));
        for (String name : pod.environment.keySet()) {
            if (name.startsWith("FRESHEN_")) {
                if (!spec.mapsEnvironment(name, properties) && !spec.environmentReferences().contains(name)) {
                    errors.add(name + " is not a setting of the " + spec.name() + " (a typo, another service's "
                            + "setting, or a map key with '_'): SmallRye would ignore it");
                }
            } else if (!OTHER_VARIABLES.contains(name) && OTHER_PREFIXES.stream().noneMatch(name::startsWith)) {
                errors.add(name + " is neither a Freshen, Quarkus, Kafka, AWS, Java nor Docker variable");
            }
        }
        return errors;
    }

    /** FRESHEN_..._FILE settings name files; each must be a key of a Secret mounted at that path. */
    private static List<String> secretFiles(ServiceSpec spec, PodEnv pod, Map<String, String> properties) {
        Map<String, String> files = new TreeMap<>();
        pod.environment.forEach((name, value) -> {
            if (name.startsWith("FRESHEN_") && name.endsWith("_FILE") && spec.mapsEnvironment(name, properties)) {
                files.put(name, value);
            }
        });
        properties.forEach((name, value) -> {
            if (name.endsWith("-file")) {
                files.put("-D" + name, value);
            }
        });
        List<String> errors = new ArrayList<>();
        files.forEach((name, value) -> {
            if (!pod.secretFiles.containsKey(value)) {
                errors.add(name + "=" + value + ": no Secret key is mounted there (Secret files: "
                        + pod.secretFiles.keySet() + ")");
            }
        });
        return errors;
    }

    /** The platform-images folder is a volume of the container that an init container fills. */
    private static List<String> platformImages(PodEnv pod) {
        String dir = pod.environment.get("FRESHEN_PLATFORM_IMAGES_DIR");
        if (dir == null) {
            return List.of("FRESHEN_PLATFORM_IMAGES_DIR is not set (the default, ./platform-images, is not in the image)");
        }
        Volume volume = pod.volumeAt(dir).orElse(null);
        if (volume == null) {
            return List.of("FRESHEN_PLATFORM_IMAGES_DIR=" + dir + " is not a volume mount of the container");
        }
        boolean filled = PodEnv.nonNull(pod.deployment.getSpec().getTemplate().getSpec().getInitContainers()).stream()
                .filter(c -> c.getRestartPolicy() == null)
                .anyMatch(c -> c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals(volume.getName())));
        return filled ? List.of() : List.of("no init container fills volume " + volume.getName() + " ("
                + dir + ")");
    }

    private static List<String> kafka(PodEnv pod) {
        String servers = pod.environment.get("KAFKA_BOOTSTRAP_SERVERS");
        if (servers == null || servers.isBlank()) {
            return List.of("KAFKA_BOOTSTRAP_SERVERS is not set (the default, 127.0.0.1:9092, is the pod itself)");
        }
        return servers.matches(".*\\b(127\\.0\\.0\\.1|localhost)\\b.*")
                ? List.of("KAFKA_BOOTSTRAP_SERVERS=" + servers + " is the pod itself") : List.of();
    }

    /** What the services check beyond the mapping when they start (WatcherBeans, ChannelFactory, RegistriesConfig). */
    private static List<String> rules(Object config, Manifests manifests, PodEnv pod) {
        List<String> errors = new ArrayList<>();
        if (config instanceof WatcherConfig watcher) {
            var w = watcher.watcher();
            if (w.apiKey().isPresent() && w.apiKeyFile().isPresent()) {
                errors.add("the watcher takes one of FRESHEN_WATCHER_API_KEY, FRESHEN_WATCHER_API_KEY_FILE, not both");
            }
            if (w.apiKey().isEmpty() && w.apiKeyFile().isEmpty() && w.apiKeys().isEmpty()) {
                errors.add("the watcher needs an API key: FRESHEN_WATCHER_API_KEY_FILE or FRESHEN_WATCHER_API_KEYS_<NAME>_KEY_FILE");
            }
            w.apiKeys().forEach((name, key) -> {
                if (key.key().isPresent() == key.keyFile().isPresent()) {
                    errors.add("API key " + name + ": needs exactly one of key, key-file");
                }
            });
            w.apiKeyFile().ifPresent(file -> errors.addAll(apiKeyLength(manifests, pod, file.toString())));
            w.apiKeys().values().forEach(key -> key.keyFile()
                    .ifPresent(file -> errors.addAll(apiKeyLength(manifests, pod, file.toString()))));
        }
        if (config instanceof NotifierConfig notifier) {
            var n = notifier.notifier();
            n.channels().forEach((name, channel) -> {
                String type = channel.type().orElse("");
                if (!Set.of("teams", "slack", "webhook").contains(type)) {
                    errors.add("channel " + name + ": type must be teams, slack or webhook, is '" + type + "'");
                }
                if (channel.url().isPresent() == channel.urlFile().isPresent()) {
                    errors.add("channel " + name + ": needs exactly one of url, url-file");
                }
                if (!type.equals("webhook") && (channel.secret().isPresent() || channel.secretFile().isPresent())) {
                    errors.add("channel " + name + ": only webhook channels take a secret");
                }
            });
            n.defaultChannels().orElse(List.of()).stream().filter(c -> !n.channels().containsKey(c))
                    .forEach(c -> errors.add("default channel " + c + " is not a configured channel"));
        }
        registries(config).ifPresent(r -> r.credentials().forEach((name, c) -> {
            if (c.password().isPresent() == c.passwordFile().isPresent()) {
                errors.add("registry credentials " + name + ": need exactly one of password, password-file");
            }
        }));
        return errors;
    }

    /** A rendered key must be at least 16 characters, as the watcher requires (External Secrets: not knowable here). */
    private static List<String> apiKeyLength(Manifests manifests, PodEnv pod, String file) {
        String source = pod.secretFiles.get(file);
        if (source == null) {
            return List.of();
        }
        String secret = source.substring(0, source.indexOf('/'));
        String key = source.substring(source.indexOf('/') + 1);
        return manifests.find("Secret", secret).map(s -> s.path("data").path(key).asText())
                .map(b64 -> new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8).strip())
                .filter(value -> value.length() < 16)
                .map(value -> List.of("the watcher API key in Secret " + secret + " is shorter than 16 characters"))
                .orElse(List.of());
    }

    /** The registries group of the services that map it (all but the notifier). */
    private static Optional<RegistriesConfig> registries(Object config) {
        try {
            return Optional.of((RegistriesConfig) config.getClass().getMethod("registries").invoke(config));
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
