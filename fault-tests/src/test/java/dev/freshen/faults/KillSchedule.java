package dev.freshen.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The kills of the chaos scenario, drawn from a seed: which service to SIGKILL next and how long to let the pipeline
 * work before doing it. The same seed gives the same schedule on any JVM ({@link Random}'s algorithm is fixed by its
 * specification), so a failing run can be replayed with its seed; the moments a kill lands in the work of the services
 * still depend on the machine's speed.
 *
 * @param seed  the seed the schedule was drawn from
 * @param kills the kills in order, each after its pause
 */
record KillSchedule(long seed, List<Kill> kills) {

    /** The system property that sets the seed ({@code -Dfreshen.chaos.seed=…}); random when it is not set. */
    static final String SEED_PROPERTY = "freshen.chaos.seed";
    /** The services a kill is drawn from, each with the same chance. */
    static final List<String> SERVICES = List.of("watcher", "builder", "tester", "publisher", "notifier");

    /**
     * One kill.
     *
     * @param service one of {@link #SERVICES}
     * @param pause   how long the pipeline works before the kill, counted from the moment the previous killed service
     *                was ready again (the first from the start of the burst)
     */
    record Kill(String service, Duration pause) {
    }

    KillSchedule {
        kills = List.copyOf(kills);
    }

    /**
     * Draws {@code count} kills from {@code seed}: each service uniformly from {@link #SERVICES}, each pause uniformly
     * between {@code minPause} and {@code maxPause} inclusive, in whole milliseconds.
     *
     * @throws IllegalArgumentException when {@code count} is negative or the pauses are negative or in the wrong order
     */
    static KillSchedule draw(long seed, int count, Duration minPause, Duration maxPause) {
        if (count < 0 || minPause.isNegative() || maxPause.compareTo(minPause) < 0) {
            throw new IllegalArgumentException("count " + count + " and pauses " + minPause.toMillis() + " ms to "
                    + maxPause.toMillis() + " ms: want count >= 0 and 0 <= min <= max");
        }
        Random random = new Random(seed);
        int spread = Math.toIntExact(maxPause.minus(minPause).toMillis());
        List<Kill> kills = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String service = SERVICES.get(random.nextInt(SERVICES.size()));
            kills.add(new Kill(service, minPause.plusMillis(random.nextInt(spread + 1))));
        }
        return new KillSchedule(seed, kills);
    }

    /**
     * The seed from the value of {@link #SEED_PROPERTY} (decimal, may be negative); {@code fresh} when the value is
     * absent or blank.
     *
     * @throws IllegalArgumentException when the value is not a whole number, naming the property
     */
    static long seed(String propertyValue, LongSupplier fresh) {
        if (propertyValue == null || propertyValue.isBlank()) {
            return fresh.getAsLong();
        }
        try {
            return Long.parseLong(propertyValue.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + " must be a whole number (the seed a chaos run "
                    + "printed), was \"" + propertyValue + "\"", e);
        }
    }

    /** The schedule in one line, e.g. {@code builder after 2.3s, tester after 0.7s}. */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (Kill kill : kills) {
            parts.add(String.format(Locale.ROOT, "%s after %.1fs", kill.service(), kill.pause().toMillis() / 1000.0));
        }
        return parts.isEmpty() ? "no kills" : String.join(", ", parts);
    }
}
