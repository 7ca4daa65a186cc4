package dev.freshen.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every figure of one benchmark run, in the order measured, and where they go: {@code latest.csv} and
 * {@code latest.json} (plus a timestamped copy of each) so that runs can be compared, and the printed {@link Table}.
 */
final class Results {

    /**
     * One figure. {@code baseline} is the seed's approach measured in the same run (null where there is none), so
     * {@link #ratio()} compares numbers taken under the same machine load.
     *
     * @param goal what the issue asks for, with "met"/"missed", or ""
     */
    record Row(String section, String metric, Measure value, Measure baseline, String unit, String goal, String note) {

        /** baseline ÷ value: how many times more the seed's approach costs; null without a baseline. */
        Double ratio() {
            if (baseline == null || value == null || value.median() == 0) {
                return null;
            }
            return baseline.median() / value.median();
        }
    }

    private final Instant started = Instant.now();
    private final Map<String, Object> machine = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> footnotes = new ArrayList<>();
    private final String mode;

    Results(String mode) {
        this.mode = mode;
    }

    void machine(String key, Object value) {
        machine.put(key, value);
    }

    synchronized void add(Row row) {
        rows.add(row);
        System.err.printf(Locale.ROOT, "[bench] %s | %s: %s%n", row.section(), row.metric(), Table.format(row.value(), row.unit()));
    }

    void add(String section, String metric, Measure value, Measure baseline, String unit, String goal, String note) {
        add(new Row(section, metric, value, baseline, unit, goal, note));
    }

    void footnote(String text) {
        footnotes.add(text);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    List<String> footnotes() {
        return List.copyOf(footnotes);
    }

    String mode() {
        return mode;
    }

    Instant started() {
        return started;
    }

    Map<String, Object> machine() {
        return machine;
    }

    /** Writes latest.csv, latest.json and the table (latest.txt) into {@code dir}, each with a timestamped copy. */
    void write(Path dir, String table) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("latest.csv"), csv());
            Files.writeString(dir.resolve("latest.json"), json());
            Files.writeString(dir.resolve("latest.txt"), table);
            for (String ext : List.of("csv", "json", "txt")) {
                Files.copy(dir.resolve("latest." + ext), dir.resolve(stamp + "-" + mode + "." + ext),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + dir, e);
        }
    }

    private String csv() {
        StringBuilder out = new StringBuilder("section,metric,unit,value_median,value_min,value_max,runs,"
                + "seed_median,seed_min,seed_max,seed_runs,seed_over_freshen,goal,note\n");
        for (Row row : rows) {
            List<String> cells = new ArrayList<>(List.of(row.section(), row.metric(), row.unit()));
            cells.addAll(numbers(row.value()));
            cells.addAll(numbers(row.baseline()));
            cells.add(row.ratio() == null ? "" : String.format(Locale.ROOT, "%.2f", row.ratio()));
            cells.add(row.goal());
            cells.add(row.note());
            out.append(String.join(",", cells.stream().map(Results::quote).toList())).append('\n');
        }
        return out.toString();
    }

    private static List<String> numbers(Measure m) {
        if (m == null) {
            return List.of("", "", "", "");
        }
        return List.of(plain(m.median()), plain(m.min()), plain(m.max()), String.valueOf(m.n()));
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String quote(String cell) {
        if (cell == null) {
            return "";
        }
        return cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }

    private String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("started", started.toString());
        root.put("finished", Instant.now().toString());
        root.put("mode", mode);
        root.put("machine", machine);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("section", row.section());
            r.put("metric", row.metric());
            r.put("unit", row.unit());
            r.put("value", row.value());
            r.put("seed", row.baseline());
            r.put("seedOverFreshen", row.ratio());
            r.put("goal", row.goal());
            r.put("note", row.note());
            out.add(r);
        }
        root.put("rows", out);
        root.put("footnotes", footnotes);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
