package dev.freshen.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * What several repetitions of one measurement gave: the median (the figure reported: one slow repetition on a busy
 * machine does not move it), the spread and how many repetitions there were.
 */
record Measure(double median, double min, double max, int n) {

    static Measure of(Collection<? extends Number> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Double> sorted = new ArrayList<>();
        samples.forEach(s -> sorted.add(s.doubleValue()));
        Collections.sort(sorted);
        int size = sorted.size();
        double median = size % 2 == 1 ? sorted.get(size / 2) : (sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2;
        return new Measure(median, sorted.get(0), sorted.get(size - 1), size);
    }

    /** One value measured once (or a count that is the same every time). */
    static Measure once(double value) {
        return new Measure(value, value, value, 1);
    }
}
