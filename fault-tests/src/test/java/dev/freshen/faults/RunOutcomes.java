package dev.freshen.faults;

import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The terminal outcomes of a set of runs as the topics tell them, and the check that each run has exactly one.
 *
 * <p>"Exactly one" means: every run has at least one terminal record ({@code ImagePublished} or
 * {@code PipelineFailed}), and all of a run's terminal records tell the same outcome (published as one version, or
 * failed at one stage with one kind). Repeated records of the same outcome are allowed and counted: delivery is at
 * least once, so a stage killed after emitting and before committing emits again (docs/reliability.md: "one per run
 * id (the topics may still carry duplicates)"). Two different outcomes fail the check, a failure later superseded by a
 * publish included: the documented supersession follows only a run timed out or failed by an internal error and then
 * replayed, and a kill must cause neither (the budgets are hours, nothing is replayed), so the first outcome must be
 * the only one.
 */
final class RunOutcomes {

    /**
     * One terminal record of a run.
     *
     * @param runId   the run
     * @param outcome the outcome in words, equal for records that tell the same: {@code published 1.2.0},
     *                {@code failed at build (permanent)}
     */
    record Terminal(String runId, String outcome) {

        static Terminal of(ImagePublished published) {
            return new Terminal(published.runId(), "published " + published.version());
        }

        static Terminal of(PipelineFailed failed) {
            return new Terminal(failed.runId(), "failed at " + failed.stage().id() + " (" + failed.kind().id() + ")");
        }
    }

    private final Map<String, Set<String>> outcomesByRun = new LinkedHashMap<>();
    private int records;

    private RunOutcomes(Collection<String> runs) {
        runs.forEach(run -> outcomesByRun.put(run, new LinkedHashSet<>()));
    }

    /** The outcomes of {@code runs} among {@code terminals} (in topic order); records of other runs are ignored. */
    static RunOutcomes of(Collection<String> runs, List<Terminal> terminals) {
        RunOutcomes outcomes = new RunOutcomes(runs);
        for (Terminal terminal : terminals) {
            Set<String> known = outcomes.outcomesByRun.get(terminal.runId());
            if (known != null) {
                known.add(terminal.outcome());
                outcomes.records++;
            }
        }
        return outcomes;
    }

    /** Whether every run has at least one terminal record. */
    boolean allEnded() {
        return missing().isEmpty();
    }

    /** The runs without any terminal record. */
    List<String> missing() {
        return outcomesByRun.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    /** The runs with more than one outcome, each with its outcomes in the order they were told. */
    Map<String, List<String>> conflicting() {
        Map<String, List<String>> conflicting = new LinkedHashMap<>();
        outcomesByRun.forEach((run, outcomes) -> {
            if (outcomes.size() > 1) {
                conflicting.put(run, new ArrayList<>(outcomes));
            }
        });
        return conflicting;
    }

    /** Terminal records beyond the first of each outcome (redeliveries answered again). */
    int repeats() {
        return records - outcomesByRun.values().stream().mapToInt(Set::size).sum();
    }

    /** Runs whose one outcome starts with {@code prefix} ({@code published}, {@code failed}). */
    long endedAs(String prefix) {
        return outcomesByRun.values().stream()
                .filter(o -> o.size() == 1 && o.iterator().next().startsWith(prefix)).count();
    }

    /** The one-line figures for the report. */
    String counts() {
        return "runs=%d published=%d failed=%d repeated-terminal-records=%d".formatted(outcomesByRun.size(),
                endedAs("published"), endedAs("failed"), repeats());
    }

    /**
     * Checks that every run has exactly one terminal outcome (see the class comment).
     *
     * @throws AssertionError naming the runs without an outcome and the runs with two or more, with theirs
     */
    void assertExactlyOne() {
        List<String> missing = missing();
        Map<String, List<String>> conflicting = conflicting();
        if (!missing.isEmpty() || !conflicting.isEmpty()) {
            throw new AssertionError("every run must end exactly once; " + missing.size() + " of " + outcomesByRun.size()
                    + " runs have no terminal outcome " + missing + ", " + conflicting.size()
                    + " have more than one " + conflicting);
        }
    }
}
