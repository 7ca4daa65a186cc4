package dev.freshen.tester;

/** An integration-test application container and the 127.0.0.1 port its HTTP port is published on. */
public record RunningApp(String containerId, int hostPort) {
}
