package dev.freshen.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the samples of a Prometheus text exposition (format 0.0.4, what {@code /q/metrics} serves): one sample per
 * line that is not a comment, {@code name{label="value",...} value [timestamp]}, label values with the escapes
 * {@code \\}, {@code \"} and {@code \n}. Only names and labels; values are not needed here.
 */
final class PrometheusText {

    record Sample(String name, Map<String, String> labels) {
    }

    private PrometheusText() {
    }

    static List<Sample> samples(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            if (brace < 0 || (space >= 0 && space < brace)) {
                samples.add(new Sample(line.substring(0, space), Map.of()));
            } else {
                samples.add(new Sample(line.substring(0, brace), labels(line, brace + 1)));
            }
        }
        return samples;
    }

    private static Map<String, String> labels(String line, int from) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = from;
        while (i < line.length() && line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String name = line.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2; // past ="
            for (; line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            labels.put(name, value.toString());
            i = j + 1;
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            }
        }
        return labels;
    }
}
