package dev.freshen.faults;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenario table printed at the end of the suite (and written to {@code target/fault-scenarios.txt}): each
 * scenario with pass/fail, its wall time and the counts of its end state. Scenarios report themselves through
 * {@link #run}; JUnit finds this listener through {@code META-INF/services}.
 */
public final class ScenarioReport implements TestExecutionListener {

    private record Row(String scenario, boolean passed, Duration took, String counts) {
    }

    /** What a scenario does; returns its counts for the table. */
    @FunctionalInterface
    interface Body {
        String run() throws Exception;
    }

    private static final List<Row> ROWS = new ArrayList<>();

    /** Runs one scenario and records the outcome; failures are rethrown for JUnit. */
    static void run(String scenario, Body body) throws Exception {
        long start = System.nanoTime();
        try {
            String counts = body.run();
            record(new Row(scenario, true, Duration.ofNanos(System.nanoTime() - start), counts));
        } catch (Exception | AssertionError e) {
            record(new Row(scenario, false, Duration.ofNanos(System.nanoTime() - start), String.valueOf(e.getMessage())
                    .lines().findFirst().orElse("")));
            throw e;
        }
    }

    private static synchronized void record(Row row) {
        ROWS.add(row);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        List<Row> rows;
        synchronized (ScenarioReport.class) {
            rows = List.copyOf(ROWS);
        }
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder table = new StringBuilder("\nFault-injection scenarios\n");
        table.append("%-58s %-6s %7s  %s%n".formatted("SCENARIO", "RESULT", "TIME", "COUNTS"));
        for (Row row : rows) {
            table.append("%-58s %-6s %6ds  %s%n".formatted(row.scenario(), row.passed() ? "pass" : "FAIL",
                    row.took().toSeconds(), row.counts()));
        }
        long passed = rows.stream().filter(Row::passed).count();
        table.append("%d of %d scenarios passed%n".formatted(passed, rows.size()));
        System.out.print(table);
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/fault-scenarios.txt"), table.toString());
        } catch (IOException e) {
            System.out.println("(cannot write target/fault-scenarios.txt: " + e.getMessage() + ")");
        }
    }
}
