package dev.freshen.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results as a Markdown table (readable in a terminal, pasteable into the README): one line per figure, the median
 * with its unit, the seed's figure beside it where there is one, their ratio, the goal and a note; footnotes after.
 */
final class Table {

    private Table() {
    }

    static String render(Results results) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[]{"#", "measure", "Freshen", "seed's way", "seed ÷ Freshen", "n", "goal / note"});
        for (Results.Row row : results.rows()) {
            String ratio = row.ratio() == null ? "" : String.format(Locale.ROOT, "%.1f×", row.ratio());
            String note = row.goal().isEmpty() ? row.note() : row.note().isEmpty() ? row.goal() : row.goal() + "; " + row.note();
            lines.add(new String[]{row.section(), row.metric(), format(row.value(), row.unit()),
                    format(row.baseline(), row.unit()), ratio, row.value() == null ? "" : String.valueOf(row.value().n()), note});
        }
        int[] widths = new int[lines.get(0).length];
        java.util.Arrays.fill(widths, 3);
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int l = 0; l < lines.size(); l++) {
            out.append(line(lines.get(l), widths));
            if (l == 0) {
                String[] rule = new String[widths.length];
                for (int i = 0; i < widths.length; i++) {
                    rule[i] = "-".repeat(widths[i]);
                }
                out.append(line(rule, widths));
            }
        }
        out.append('\n');
        for (int i = 0; i < results.footnotes().size(); i++) {
            out.append(i + 1).append(". ").append(results.footnotes().get(i)).append('\n');
        }
        return out.toString();
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder out = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            out.append(' ').append(cells[i]).append(" ".repeat(widths[i] - cells[i].length())).append(" |");
        }
        return out.append('\n').toString();
    }

    /** A median with its unit, bytes and times in readable units. */
    static String format(Measure m, String unit) {
        if (m == null) {
            return "";
        }
        double v = m.median();
        return switch (unit) {
            case "bytes" -> bytes(v);
            case "ms" -> v >= 10_000 ? String.format(Locale.ROOT, "%.1f s", v / 1000) : String.format(Locale.ROOT, "%,.0f ms", v);
            case "s" -> String.format(Locale.ROOT, "%.1f s", v);
            case "MiB" -> String.format(Locale.ROOT, "%.0f MiB", v);
            default -> (v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v))
                    + (unit.isEmpty() ? "" : " " + unit);
        };
    }

    private static String bytes(double v) {
        if (v < 10_000) {
            return String.format(Locale.ROOT, "%,.0f B", v);
        }
        if (v < 10 * 1024 * 1024) {
            return String.format(Locale.ROOT, "%,.1f KiB", v / 1024);
        }
        return String.format(Locale.ROOT, "%,.1f MiB", v / 1024 / 1024);
    }
}
