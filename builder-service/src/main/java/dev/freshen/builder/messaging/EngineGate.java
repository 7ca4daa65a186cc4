package dev.freshen.builder.messaging;

import com.github.dockerjava.api.DockerClient;
import dev.freshen.docker.DockerEngine;
import dev.freshen.docker.EngineWatch;
import dev.freshen.events.Durations;
import dev.freshen.events.Topics;
import dev.freshen.messaging.PausableInputs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Keeps the builder from taking new build requests while its Docker engine does not answer: the engine is asked every
 * {@value #CHECK_SECONDS} s ({@link EngineWatch}); when it goes away the input channels are paused
 * ({@link PausableInputs}: new records wait in Kafka, the consumer stays in its group) and readiness goes down
 * ({@link EngineReadiness}); when it answers again both come back. Each change is logged once. A build under way
 * when the engine goes away is not stopped: it follows the stage's retry policy.
 */
@ApplicationScoped
public class EngineGate {

    static final long CHECK_SECONDS = 5;
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(CHECK_SECONDS);
    /** A check is one short request: it must not wait as long as the stage's own requests may. */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(EngineGate.class);

    @Inject
    ChannelRegistry channels;

    private DockerClient docker;
    private EngineWatch watch;
    private PausableInputs inputs;

    void start(@Observes StartupEvent start) {
        inputs = new PausableInputs(channels, List.of(Topics.BASE_IMAGE_UPDATED, Topics.FORCE_UPDATE));
        inputs.paused(); // refuses to start when an input cannot be paused (its pausable setting is missing)
        docker = DockerEngine.connect(CHECK_TIMEOUT, CHECK_TIMEOUT);
        watch = EngineWatch.of(docker, DockerEngine.host(), CHECK_INTERVAL, this::changed).start();
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
        return "new build requests on " + String.join(", ", inputs.names()) + " wait until it answers (checked every "
                + Durations.human(CHECK_INTERVAL) + ")";
    }

    private void changed(EngineWatch.Health health) {
        try {
            if (health.up()) {
                inputs.resume();
                LOG.infof("%s again: taking new build requests again", health.describe());
            } else {
                inputs.pause();
                LOG.warnf("%s: %s; a build under way follows its retry policy", health.describe(), effect());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s, but the inputs could not be %s", health.describe(), health.up() ? "resumed" : "paused");
        }
    }
}
