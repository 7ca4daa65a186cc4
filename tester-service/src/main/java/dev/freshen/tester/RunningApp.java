package dev.freshen.tester;

/**
 * An integration-test application container and the 127.0.0.1 port its HTTP port is published on; {@code hostPort}
 * is 0 when the container ended before the engine published the port (it crashed at once, or could not start).
 */
public record RunningApp(String containerId, int hostPort) {

    /** Whether the port was published (else the container has ended: see {@link CandidateRuntime#state}). */
    public boolean published() {
        return hostPort > 0;
    }
}
