package dev.freshen.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.freshen.events.FailureKind;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EngineApiBuilder} against the real engine: the issue's .dockerignore context builds; broken input fails permanently. */
class EngineApiBuilderIT {

    private static ImageReference base;
    private static DockerClient docker;

    @TempDir
    Path context;

    @BeforeAll
    static void fixtureImage() {
        dev.freshen.testing.DockerEngine.requireRunning();
        base = FixtureImages.publishBase(LocalRegistry.shared().host(), "fixture/engine-api", "1");
        docker = DockerEngine.connect(Duration.ofMinutes(2));
    }

    @AfterAll
    static void close() throws IOException {
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void buildsTheIssuesContextWhoseDockerignoreExcludesAllButTheDockerfileAndAFolder() throws IOException {
        write(".dockerignore", "*\n!Dockerfile\n!ca-certificates/\n");
        // the folder's Dockerfile follows the tag; the builder builds the pinned text
        write("Dockerfile", "FROM " + base.withDigest(null) + "\nCOPY . /ctx\n");
        write("ca-certificates/corp-root.crt", "cert\n");
        write("secret.env", "TOKEN=x\n");
        String pinned = "FROM " + base + "\nCOPY . /ctx\n"
                + "RUN test -f /ctx/ca-certificates/corp-root.crt && test -f /ctx/Dockerfile && test ! -e /ctx/secret.env"
                + " && test ! -e /ctx/.dockerignore && test -z \"$(ls -A /ctx | grep -v -x -e Dockerfile -e ca-certificates)\"\n";
        String tag = "freshen-test/engine-api-it:" + Long.toHexString(System.nanoTime());
        BuildLog log = new BuildLog(200);
        try {
            String id = new EngineApiBuilder(docker).build(new BuildSpec(context, pinned,
                    Map.of("dev.freshen.test", "dockerignore"), Map.of(), tag, Duration.ofMinutes(2)), log);
            var image = docker.inspectImageCmd(id).exec();
            assertEquals("dockerignore", image.getConfig().getLabels().get("dev.freshen.test"));
            assertTrue(image.getRepoTags().contains(tag), image.getRepoTags().toString());
        } finally {
            DockerEngine.remove(docker, tag);
        }
    }

    @Test
    void aDockerfileTheEngineRefusesIsAPermanentFailureWithTheEnginesReason() throws IOException {
        write("Dockerfile", "FROM " + base + "\n");
        BuildFailure failure = assertThrows(BuildFailure.class, () -> build("FROM " + base + "\nFOO bar\n"));
        assertEquals(FailureKind.PERMANENT, failure.kind());
        assertEquals(BuildFailure.CONTEXT_INVALID, failure.code());
        assertEquals("the Docker engine refused the build: dockerfile parse error line 2: unknown instruction: FOO",
                failure.getMessage());
    }

    @Test
    void aMalformedDockerignorePatternIsAPermanentFailureNamingTheLine() throws IOException {
        write("Dockerfile", "FROM " + base + "\n");
        write(".dockerignore", "bin\n!\n");
        BuildFailure failure = assertThrows(BuildFailure.class, () -> build("FROM " + base + "\n"));
        assertEquals(FailureKind.PERMANENT, failure.kind());
        assertEquals(BuildFailure.CONTEXT_INVALID, failure.code());
        assertTrue(failure.getMessage().startsWith(".dockerignore line 2: illegal exception pattern"), failure.getMessage());
    }

    @Test
    void aFileTheBuildNeedsThatIsExcludedFailsTheStepPermanently() throws IOException {
        write("Dockerfile", "FROM " + base + "\n");
        write(".dockerignore", "*.crt\n");
        write("corp.crt", "cert\n");
        BuildFailure failure = assertThrows(BuildFailure.class, () -> build("FROM " + base + "\nCOPY corp.crt /etc/\n"));
        assertEquals(FailureKind.PERMANENT, failure.kind());
        assertEquals(BuildFailure.STEP_FAILED, failure.code());
        assertTrue(failure.getMessage().contains("COPY corp.crt /etc/") && failure.getMessage().contains("excluded by .dockerignore"),
                failure.getMessage());
    }

    @Test
    void onlyAnEngineThatDoesNotAnswerIsTransient() throws IOException {
        write("Dockerfile", "FROM " + base + "\n");
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("tcp://127.0.0.1:" + Ports.free()).build();
        try (DockerClient nobody = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(config.getDockerHost().toString())).connectionTimeout(Duration.ofSeconds(2)).build())) {
            BuildFailure failure = assertThrows(BuildFailure.class, () -> new EngineApiBuilder(nobody).build(
                    new BuildSpec(context, "FROM " + base + "\n", Map.of(), Map.of(), "freshen-test/none:1",
                            Duration.ofMinutes(1)), new BuildLog(10)));
            assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failure.kind());
            assertEquals(BuildFailure.ENGINE_ERROR, failure.code());
            assertTrue(failure.getMessage().startsWith("the Docker engine is not reachable: "), failure.getMessage());
        }
    }

    private void build(String dockerfile) {
        String tag = "freshen-test/engine-api-it:" + Long.toHexString(System.nanoTime());
        try {
            new EngineApiBuilder(docker).build(new BuildSpec(context, dockerfile, Map.of(), Map.of(), tag,
                    Duration.ofMinutes(2)), new BuildLog(50));
        } finally {
            DockerEngine.remove(docker, tag);
        }
    }

    private void write(String relative, String content) throws IOException {
        Path file = context.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
