package dev.freshen.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Docker config.json reader, against files and helper scripts as the docker CLI writes and runs them. */
class DockerConfigCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void authIsBase64OfUserColonPasswordAndThePasswordMayHoldColons() throws IOException {
        var credentials = read("""
                {"auths": {"registry.example.com": {"auth": "%s", "email": "ci@example.com"}}}
                """.formatted(base64("ci:pa:ss")));
        assertEquals(Optional.of(new Credentials("ci", "pa:ss")), credentials.credentialsFor("registry.example.com"));
        assertEquals(Optional.empty(), credentials.credentialsFor("other.example.com"));
    }

    @Test
    void usernameAndPasswordFieldsAreReadWhenThereIsNoAuth() throws IOException {
        var credentials = read("{\"auths\": {\"127.0.0.1:5001\": {\"username\": \"u\", \"password\": \"p\"}}}");
        assertEquals(Optional.of(new Credentials("u", "p")), credentials.credentialsFor("127.0.0.1:5001"));
    }

    @Test
    void keysThatAreUrlsMatchTheirHostAndDockerHubIsKeyedByItsIndexUrl() throws IOException {
        var credentials = read("""
                {"auths": {"https://registry.example.com/v2/": {"auth": "%s"},
                           "https://index.docker.io/v1/": {"auth": "%s"}}}
                """.formatted(base64("a:1"), base64("hub:2")));
        assertEquals("a", credentials.credentialsFor("registry.example.com").orElseThrow().username());
        assertEquals("hub", credentials.credentialsFor("docker.io").orElseThrow().username());
        assertEquals("https://index.docker.io/v1/", DockerConfigCredentials.serverKey("docker.io"));
        assertEquals("hub2", read("{\"auths\": {\"https://index.docker.io/v2/\": {\"auth\": \"%s\"}}}"
                .formatted(base64("hub2:3"))).credentialsFor("docker.io").orElseThrow().username());
        assertEquals("registry.example.com:443", DockerConfigCredentials.serverKey("registry.example.com:443"));
    }

    @Test
    void anIdentityTokenIsUsedInsteadOfThePassword() throws IOException {
        var credentials = read("""
                {"auths": {"acr.example.io": {"auth": "%s", "identitytoken": "refresh-token"}}}
                """.formatted(base64("00000000-0000-0000-0000-000000000000:")));
        Credentials c = credentials.credentialsFor("acr.example.io").orElseThrow();
        assertEquals(new Credentials("00000000-0000-0000-0000-000000000000", "refresh-token", true), c);
        assertFalse(c.toString().contains("refresh-token"), c.toString());
    }

    @Test
    void anEntryWithoutCredentialsIsNone() throws IOException {
        assertEquals(Optional.empty(), read("{\"auths\": {\"r.example.com\": {}}}").credentialsFor("r.example.com"));
    }

    @Test
    void aBrokenFileIsRefusedNamingTheFileButNotItsContent() throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"auths\": {\"r\": {\"auth\": \"s3cret!!\"}}}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DockerConfigCredentials.of(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not base64"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        Files.writeString(file, "{\"auths\": s3cret");
        e = assertThrows(IllegalStateException.class, () -> DockerConfigCredentials.of(file));
        assertTrue(e.getMessage().endsWith("is not JSON"), e.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> DockerConfigCredentials.of(dir.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    }

    @Test
    void aCredHelperAnswersForItsHostAndTheStoreForTheOthers() throws IOException {
        helper("one", "{\"ServerURL\":\"$url\",\"Username\":\"one-user\",\"Secret\":\"one-secret\"}", 0);
        helper("store", "{\"ServerURL\":\"$url\",\"Username\":\"<token>\",\"Secret\":\"store-token\"}", 0);
        var credentials = read("""
                {"auths": {"a.example.com": {"auth": "%s"}},
                 "credHelpers": {"a.example.com": "one"}, "credsStore": "store"}
                """.formatted(base64("file:ignored")));
        assertEquals(Optional.of(new Credentials("one-user", "one-secret")), credentials.credentialsFor("a.example.com"));
        assertEquals(Optional.of(new Credentials("<token>", "store-token", true)),
                credentials.credentialsFor("b.example.com"));
        assertEquals("get a.example.com\nget b.example.com\n", Files.readString(dir.resolve("calls")));
    }

    @Test
    void theHelperIsAskedWithDockerHubsUrlAndItsAnswerIsKeptForAWhile() throws IOException {
        helper("hub", "{\"ServerURL\":\"$url\",\"Username\":\"h\",\"Secret\":\"s\"}", 0);
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        var credentials = new DockerConfigCredentials(write("{\"credsStore\": \"hub\"}"), List.of(dir),
                Duration.ofSeconds(10), Duration.ofMinutes(5), clock);
        assertEquals("h", credentials.credentialsFor("docker.io").orElseThrow().username());
        credentials.credentialsFor("docker.io");
        assertEquals("get https://index.docker.io/v1/\n", Files.readString(dir.resolve("calls")), "asked once");
        now[0] = now[0].plus(Duration.ofMinutes(6));
        credentials.credentialsFor("docker.io");
        assertEquals(2, Files.readAllLines(dir.resolve("calls")).size(), "asked again after 5 minutes");
    }

    @Test
    void credentialsNotFoundAFailingHelperAndASilentOneAreNone() throws IOException {
        helper("none", "credentials not found in native keychain", 1);
        helper("broken", "panic: s3cret-in-stderr", 3);
        helper("garbage", "not json s3cret", 0);
        var credentials = read("""
                {"credHelpers": {"n.example.com": "none", "b.example.com": "broken", "g.example.com": "garbage",
                                 "m.example.com": "not-installed"}}
                """);
        assertEquals(Optional.empty(), credentials.credentialsFor("n.example.com"));
        assertEquals(Optional.empty(), credentials.credentialsFor("b.example.com"));
        assertEquals(Optional.empty(), credentials.credentialsFor("g.example.com"));
        assertEquals(Optional.empty(), credentials.credentialsFor("m.example.com"));
    }

    @Test
    void aHelperThatDoesNotAnswerIsStoppedAfterItsTimeOut() throws IOException {
        Path helper = dir.resolve("docker-credential-slow");
        Files.writeString(helper, "#!/bin/sh\nexec sleep 30\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        var credentials = new DockerConfigCredentials(write("{\"credsStore\": \"slow\"}"), List.of(dir),
                Duration.ofMillis(500), Duration.ofMinutes(5), Clock.systemUTC());
        long started = System.nanoTime();
        assertEquals(Optional.empty(), credentials.credentialsFor("r.example.com"));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
    }

    @Test
    void theFileIsReadAgainWhenItChanges() throws IOException {
        Path file = write("{\"auths\": {\"r.example.com\": {\"username\": \"old\", \"password\": \"p\"}}}");
        var credentials = DockerConfigCredentials.of(file);
        assertEquals("old", credentials.credentialsFor("r.example.com").orElseThrow().username());
        Files.writeString(file, "{\"auths\": {\"r.example.com\": {\"username\": \"new\", \"password\": \"p\"}}}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals("new", credentials.credentialsFor("r.example.com").orElseThrow().username());
    }

    @Test
    void chainedAfterTheSettingsTheDockerConfigOnlyFillsGaps() throws IOException {
        var fromFile = read("{\"auths\": {\"a\": {\"username\": \"file\", \"password\": \"1\"},"
                + " \"b\": {\"username\": \"file\", \"password\": \"2\"}}}");
        var settings = RegistrySettings.defaults().withCredentials("a", new Credentials("settings", "0"));
        CredentialsProvider chain = CredentialsProvider.NONE.orElse(settings).orElse(fromFile);
        assertEquals("settings", chain.credentialsFor("a").orElseThrow().username());
        assertEquals("file", chain.credentialsFor("b").orElseThrow().username());
    }

    private DockerConfigCredentials read(String json) throws IOException {
        return new DockerConfigCredentials(write(json), List.of(dir), Duration.ofSeconds(10), Duration.ofMinutes(5),
                Clock.systemUTC());
    }

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("config.json"), json);
    }

    /** A {@code docker-credential-<name>} that logs "get <url>" and prints {@code answer} ($url expanded). */
    private void helper(String name, String answer, int exitCode) throws IOException {
        Path helper = dir.resolve("docker-credential-" + name);
        Files.writeString(helper, """
                #!/bin/sh
                url=$(cat)
                echo "$1 $url" >> %s
                echo "%s"
                exit %d
                """.formatted(dir.resolve("calls"), answer.replace("\"", "\\\""), exitCode));
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
