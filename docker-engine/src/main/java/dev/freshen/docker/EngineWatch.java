package dev.freshen.docker;

import com.github.dockerjava.api.DockerClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Asks a Docker engine every {@code interval} whether it answers ({@code GET /_ping}) and tells its listener each
 * time the answer changes: the engine went away (with why, in plain words) or answers again. Services use it for
 * readiness and to stop taking new work while their engine is away, instead of spending their retries on it.
 *
 * <p>One failed check is enough to call the engine away and one answer to call it back: a check costs one short
 * request, and a pause of a few seconds costs nothing, while work started on an engine that is gone burns retries.
 * The engine is taken to answer until the first check says otherwise (services check it at start-up anyway).
 * Checks run on one daemon thread; the listener runs on it too, once per change, never concurrently.
 */
public final class EngineWatch implements AutoCloseable {

    /**
     * The engine at {@code host} answered the last check ({@code up}) or not, and then {@code problem} says why in
     * plain words ("connection refused"); {@code since} is when that became so.
     */
    public record Health(String host, boolean up, String problem, Instant since) {

        /**
         * "Docker engine at unix:///var/run/docker.sock answers" or "Docker engine at tcp://127.0.0.1:2375 not
         * reachable: connection refused".
         */
        public String describe() {
            return "Docker engine at " + host + (up ? " answers" : " not reachable: " + problem);
        }
    }

    /** One check of the engine: returns when it answered, throws when it did not. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private final String host;
    private final Check check;
    private final Duration interval;
    private final Clock clock;
    private final Consumer<Health> onChange;
    private final ScheduledExecutorService timer;
    private volatile Health health;

    /**
     * @param host     the engine's address, for {@link Health#describe()}
     * @param check    asks the engine once
     * @param interval between the end of one check and the start of the next
     * @param onChange told each time the engine goes away or answers again
     */
    public EngineWatch(String host, Check check, Duration interval, Clock clock, Consumer<Health> onChange) {
        this.host = Objects.requireNonNull(host, "host");
        this.check = Objects.requireNonNull(check, "check");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.health = new Health(host, true, null, clock.instant());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "docker-engine-watch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A watch that pings the engine behind {@code docker} (give it a client with short time-outs: a ping must not wait
     * as long as a build).
     */
    public static EngineWatch of(DockerClient docker, String host, Duration interval, Consumer<Health> onChange) {
        return new EngineWatch(host, () -> docker.pingCmd().exec(), interval, Clock.systemUTC(), onChange);
    }

    /** Starts checking, the first check at once. */
    public EngineWatch start() {
        timer.scheduleWithFixedDelay(this::checkNow, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The outcome of the last check. */
    public Health health() {
        return health;
    }

    /** How long between two checks. */
    public Duration interval() {
        return interval;
    }

    /** Checks once, tells the listener when the answer changed, and returns the new health. */
    synchronized Health checkNow() {
        Health before = health;
        String problem;
        try {
            check.run();
            problem = null;
        } catch (Exception e) {
            problem = EngineErrors.plainWords(e);
        }
        boolean up = problem == null;
        if (up != before.up()) {
            health = new Health(host, up, problem, clock.instant());
            try {
                onChange.accept(health);
            } catch (RuntimeException e) {
                // the listener's own failure must not stop the checks; it logs its own trouble
            }
        } else if (!up && !problem.equals(before.problem())) {
            health = new Health(host, false, problem, before.since()); // still away, for another reason now
        }
        return health;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
