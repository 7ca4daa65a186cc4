package dev.freshen.tester;

import dev.freshen.testing.BuildKitStartupCheck;
import dev.freshen.testing.KafkaBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * The packaged tester refuses to start when its docker CLI cannot run BuildKit builds (this machine's Docker 28 client
 * without the buildx plugin), naming the setting and the fix; see {@link BuildKitStartupCheck}.
 */
class BuildKitCheckIT {

    @BeforeAll
    static void requireAClientWithoutBuildx() {
        BuildKitStartupCheck.requireAClientWithoutBuildx();
    }

    @Test
    void refusesToStartWithADockerCliThatCannotRunBuildKitBuilds() {
        BuildKitStartupCheck.assertRefusesToStart("tester", Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", "src/test/resources/empty-platform-images"));
    }
}
