package dev.freshen.tester.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.freshen.docker.BuildFailure;
import dev.freshen.docker.BuildLog;
import dev.freshen.docker.BuildSpec;
import dev.freshen.docker.DockerEngine;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.Credentials;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.HtpasswdRegistry;
import dev.freshen.testing.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tester's test-app build, with both builders, FROM images in an htpasswd-protected registry (the candidate's or
 * another company image): the runtime hands the engine the credentials of the Dockerfile's registries.
 */
class PrivateAppBaseIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String USER = "ci";
    private static final String PASSWORD = "tester-pw-4e1f0a77";

    private static HtpasswdRegistry registry;
    private static DockerClient docker;

    @TempDir
    Path context;

    @BeforeAll
    static void start() {
        dev.freshen.testing.DockerEngine.requireRunning();
        registry = HtpasswdRegistry.start(USER, PASSWORD);
        docker = DockerEngine.connect(TIMEOUT);
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void theEngineApiBuildOfTheAppPullsItsPrivateBaseWithTheCredentials() throws IOException {
        buildsWithCredentialsAndNotWithout("classic", false);
    }

    @Test
    void theBuildKitBuildOfTheAppPullsItsPrivateBaseWithTheCredentials() throws IOException {
        buildsWithCredentialsAndNotWithout("buildkit", true);
    }

    private void buildsWithCredentialsAndNotWithout(String name, boolean buildKit) throws IOException {
        ImageReference base = privateBase("app-" + name);
        Files.writeString(context.resolve("Dockerfile"), "FROM " + base.withDigest(null) + "\n");
        String dockerfile = "FROM " + base.byDigestOnly() + "\nRUN echo app > /app\n";
        String tag = "freshen-test/private-app-it:" + name;
        var withCredentials = new DockerCandidateRuntime(docker,
                host -> host.equals(registry.host()) ? new Credentials(USER, PASSWORD) : null, TIMEOUT,
                dev.freshen.testing.DockerEngine.CLI, "private-app-it");
        var without = new DockerCandidateRuntime(docker, host -> null, TIMEOUT, dev.freshen.testing.DockerEngine.CLI,
                "private-app-it");
        BuildSpec spec = new BuildSpec(context, dockerfile, without.labels("private-app-it"), Map.of(), tag, TIMEOUT);
        try {
            BuildLog refusedLog = new BuildLog(50);
            BuildFailure refused = assertThrows(BuildFailure.class, () -> without.buildApp(spec, refusedLog, buildKit));
            assertEquals(BuildFailure.REGISTRY_ERROR, refused.code(), refused.getMessage());
            assertTrue(refused.getMessage().contains("the registry " + registry.host() + " refused"), refused.getMessage());

            BuildLog log = new BuildLog(50);
            String id = withCredentials.buildApp(spec, log, buildKit);
            assertFalse(id.isBlank());
            assertFalse(log.tail().contains(PASSWORD), log.tail());
        } finally {
            DockerEngine.remove(docker, tag);
            DockerEngine.remove(docker, base.byDigestOnly().toString());
        }
    }

    /** A base only in the htpasswd registry, not in the engine. */
    private static ImageReference privateBase(String name) {
        ImageReference local = FixtureImages.publishBase(LocalRegistry.shared().host(), "creds-app-it/" + name, "1");
        DockerEngine.pull(docker, local.name(), local.digest(), null, TIMEOUT);
        String repository = registry.host() + "/company/" + name;
        docker.tagImageCmd(local.byDigestOnly().toString(), repository, "1").exec();
        Digest digest = DockerEngine.push(docker, repository, "1", new Credentials(USER, PASSWORD), TIMEOUT);
        DockerEngine.remove(docker, repository + ":1");
        DockerEngine.remove(docker, repository + "@" + digest);
        DockerEngine.remove(docker, local.byDigestOnly().toString());
        ImageReference base = ImageReference.parse(repository + ":1@" + digest);
        assertThrows(NotFoundException.class, () -> docker.inspectImageCmd(base.byDigestOnly().toString()).exec(),
                "the base is not in the engine: the build must pull it");
        return base;
    }
}
