package dev.freshen.publisher;

import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged publisher refuses to start when its target registry settings are wrong, and says which setting. */
class StartupIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LOG = Pattern.compile("its log: (\\S+)");

    @Test
    void ecrWithoutARegionRefusesToStart() throws IOException {
        String log = failedStartLog(Map.of("freshen.target-registry", "registry.example.com",
                "freshen.publisher.kind", "ecr", "aws.disableEc2Metadata", "true"));
        assertTrue(log.contains("no AWS region for ECR: set freshen.publisher.ecr.region"), log);
    }

    @Test
    void anInvalidTargetRegistryRefusesToStart() throws IOException {
        String log = failedStartLog(Map.of("freshen.target-registry", "not a host"));
        assertTrue(log.contains("freshen.target-registry 'not a host' is not a registry host"), log);
    }

    @Test
    void anInvalidEcrExclusionFilterRefusesToStart() throws IOException {
        String log = failedStartLog(Map.of("freshen.target-registry", "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                "freshen.publisher.kind", "ecr", "freshen.publisher.ecr.exclusion-filters", "no/slashes"));
        assertTrue(log.contains("freshen.publisher.ecr.exclusion-filters: ECR exclusion filter 'no/slashes' is invalid"), log);
    }

    @Test
    void aRetrySettingUnderItsOldNameRefusesToStartNamingTheNewOne() throws IOException {
        String log = failedStartLog(Map.of("freshen.target-registry", "registry.example.com",
                "freshen.publisher.retry-backoff", "2s"));
        assertTrue(log.contains("freshen.publisher.retry-backoff (FRESHEN_PUBLISHER_RETRY_BACKOFF) was renamed to "
                + "freshen.publisher.initial-backoff (FRESHEN_PUBLISHER_INITIAL_BACKOFF)"), log);
    }

    private static String failedStartLog(Map<String, String> config) throws IOException {
        Map<String, String> all = new HashMap<>(config);
        all.put("kafka.bootstrap.servers", KafkaBroker.bootstrapServers());
        all.put("freshen.platform-images-dir", "src/test/resources/empty-platform-images");
        Throwable failure = assertThrows(Throwable.class,
                () -> ServiceProcess.start(Paths.get("").toAbsolutePath(), all, TIMEOUT).close());
        Matcher matcher = LOG.matcher(String.valueOf(failure.getMessage()));
        assertTrue(matcher.find(), "no log named in: " + failure.getMessage());
        return Files.readString(Path.of(matcher.group(1)));
    }
}
