package dev.freshen.tester.messaging;

import com.github.dockerjava.api.DockerClient;
import dev.freshen.docker.DockerEngine;
import dev.freshen.docker.EngineWatch;
import dev.freshen.events.Topics;
import dev.freshen.messaging.InputGate;
import dev.freshen.messaging.PausableInputs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Keeps the tester from taking new candidates while its Docker engine does not answer: the engine is asked every
 * {@value #CHECK_SECONDS} s ({@link EngineWatch}); when it goes away the input channel is paused
 * ({@link PausableInputs}: new records wait in Kafka, the consumer stays in its group) and readiness goes down
 * ({@link EngineReadiness}); when it answers again both come back. {@link InputGate} pauses, resumes and logs each
 * change once. A test under way when the engine goes away is not stopped: it follows the stage's retry policy.
 */
@ApplicationScoped
public class EngineGate {

    static final long CHECK_SECONDS = 5;
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(CHECK_SECONDS);
    /** A check is one short request: it must not wait as long as the stage's own requests may. */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    @Inject
    ChannelRegistry channels;

    private DockerClient docker;
    private EngineWatch watch;
    private InputGate gate;

    void start(@Observes StartupEvent start) {
        PausableInputs inputs = new PausableInputs(channels, List.of(Topics.IMAGE_BUILT));
        inputs.paused(); // refuses to start when an input cannot be paused (its pausable setting is missing)
        gate = new InputGate(inputs, "candidates", "a test", CHECK_INTERVAL);
        docker = DockerEngine.connect(CHECK_TIMEOUT, CHECK_TIMEOUT);
        watch = EngineWatch.of(docker, DockerEngine.host(), CHECK_INTERVAL,
                health -> gate.changed(health.up(), health.describe())).start();
    }

    void stop(@Observes ShutdownEvent stop) throws IOException {
        if (watch != null) {
            watch.close();
            docker.close();
        }
    }

    /** The engine's health as last checked (up until the first check says otherwise). */
    public EngineWatch.Health health() {
        return watch == null ? null : watch.health();
    }

    /** What waits while the engine is away, for readiness and logs. */
    String effect() {
        return gate.effect();
    }
}
