package dev.freshen.testing;

import java.net.URI;

/**
 * A real OCI registry (Debian's {@code docker-registry}, the CNCF distribution registry) run as a process on
 * 127.0.0.1 with a free port and its own storage, without authentication, stopped when the test JVM ends.
 */
public final class LocalRegistry implements AutoCloseable {

    private static LocalRegistry shared;

    private final RegistryProcess process;

    private LocalRegistry(RegistryProcess process) {
        this.process = process;
    }

    /** The registry shared by all tests of this JVM. */
    public static synchronized LocalRegistry shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-registry-shutdown"));
        }
        return shared;
    }

    public static LocalRegistry start() {
        return new LocalRegistry(RegistryProcess.start(RegistryProcess.newDirectory("freshen-registry-"), ""));
    }

    /** {@code 127.0.0.1:<port>}, the registry part of image references. */
    public String host() {
        return process.host();
    }

    public URI baseUri() {
        return process.baseUri();
    }

    @Override
    public void close() {
        process.close();
    }
}
