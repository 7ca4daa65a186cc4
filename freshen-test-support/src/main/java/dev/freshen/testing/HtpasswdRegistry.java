package dev.freshen.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real {@code docker-registry} process that requires HTTP basic authentication ({@code auth: htpasswd}) for one
 * user, from a bcrypt file made with {@code htpasswd -Bbn}. Anonymous requests get 401 with
 * {@code WWW-Authenticate: Basic realm="freshen-test-basic"}.
 */
public final class HtpasswdRegistry implements AutoCloseable {

    public static final String REALM = "freshen-test-basic";
    private static final String HTPASSWD = "/usr/bin/htpasswd";

    private final RegistryProcess process;

    private HtpasswdRegistry(RegistryProcess process) {
        this.process = process;
    }

    public static HtpasswdRegistry start(String username, String password) {
        Path dir = RegistryProcess.newDirectory("freshen-htpasswd-registry-");
        Path htpasswd = dir.resolve("htpasswd");
        try {
            String line = Commands.run(List.of(HTPASSWD, "-Bbn", username, password), 30);
            Files.writeString(htpasswd, line + "\n");
        } catch (IOException | RuntimeException e) {
            RegistryProcess.deleteRecursively(dir);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot write " + htpasswd, io);
            }
            throw new IllegalStateException("cannot make the htpasswd file (apt-get install apache2-utils)", e);
        }
        return new HtpasswdRegistry(RegistryProcess.start(dir, """
                auth:
                  htpasswd:
                    realm: %s
                    path: %s
                """.formatted(REALM, htpasswd)));
    }

    /** {@code 127.0.0.1:<port>}, the registry part of image references and the key for its credentials. */
    public String host() {
        return process.host();
    }

    public URI baseUri() {
        return process.baseUri();
    }

    /** The registry goes down (its data kept) until {@link #restart()}. */
    public void stop() {
        process.stop();
    }

    /** Back on the same port with the same data and users. */
    public void restart() {
        process.restart();
    }

    @Override
    public void close() {
        process.close();
    }
}
