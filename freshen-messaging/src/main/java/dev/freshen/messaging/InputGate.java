package dev.freshen.messaging;

import dev.freshen.events.Durations;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Keeps a stage from taking new work while something the work needs does not answer (its Docker engine): told each
 * change of that dependency's health, it pauses the stage's {@link PausableInputs} (new records wait in Kafka) or
 * resumes them, and logs the change once. Work under way is not stopped: it follows the stage's retry policy.
 */
public final class InputGate {

    private static final Logger LOG = Logger.getLogger(InputGate.class);

    private final PausableInputs inputs;
    private final String work;
    private final String underWay;
    private final Duration checkInterval;

    /**
     * @param work          what waits, in plain words ({@code "build requests"})
     * @param underWay      one unit of work under way ({@code "a build"})
     * @param checkInterval how often the dependency is asked, for the words of {@link #effect()}
     */
    public InputGate(PausableInputs inputs, String work, String underWay, Duration checkInterval) {
        this.inputs = inputs;
        this.work = work;
        this.underWay = underWay;
        this.checkInterval = checkInterval;
    }

    /** What waits while the dependency is away, for readiness and logs ("new build requests on … wait until …"). */
    public String effect() {
        return "new " + work + " on " + String.join(", ", inputs.names()) + " wait until it answers (checked every "
                + Durations.human(checkInterval) + ")";
    }

    /** The dependency ({@code described}, e.g. "Docker engine at unix:///… not reachable: …") answers, or not. */
    public void changed(boolean up, String described) {
        try {
            if (up) {
                inputs.resume();
                LOG.infof("%s again: taking new %s again", described, work);
            } else {
                inputs.pause();
                LOG.warnf("%s: %s; %s under way follows its retry policy", described, effect(), underWay);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s, but the inputs could not be %s", described, up ? "resumed" : "paused");
        }
    }
}
