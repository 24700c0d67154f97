package org.osmetrics.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format, version 0.0.4 (prometheus.io, "Exposition
 * formats"), as node_exporter's textfile collector reads it: a file is lines ending in {@code \n};
 * {@code # HELP name text} (text escapes {@code \\} and {@code \n}) and {@code # TYPE name type} at most once
 * per metric, the TYPE before its first sample; other {@code #} lines are comments; samples
 * {@code name{label="value",...} value [timestamp]} with label values escaping {@code \\}, {@code \"} and
 * {@code \n}, values as Go's ParseFloat reads them (plus {@code NaN}, {@code +Inf}, {@code -Inf}); all lines of
 * a metric in one group; a series (name and label set) at most once; a label name at most once per sample.
 * Anything else is an {@link IllegalArgumentException} naming the line.
 */
public final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|Inf|inf)|NaN");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample: a metric name, its labels (sorted by name) and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A parsed file: its samples in order, and the HELP and TYPE of each metric that has them. */
    public record Exposition(List<Sample> samples, Map<String, String> help, Map<String, String> types) {

        public List<Sample> series(String name) {
            return samples.stream().filter(s -> s.name().equals(name)).toList();
        }
    }

    private PrometheusText() {
    }

    public static Exposition parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line does not end with \\n");
        }
        List<Sample> samples = new ArrayList<>();
        Map<String, String> help = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> closedMetrics = new HashSet<>();
        Set<List<Object>> series = new HashSet<>();
        String current = null;
        String[] lines = text.isEmpty() ? new String[0] : text.substring(0, text.length() - 1).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "': ";
            if (line.isBlank()) {
                continue;
            }
            String metric;
            if (line.startsWith("#")) {
                String[] parts = line.split("[ \t]+", 4);
                if (parts.length < 3 || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    continue;   // a comment
                }
                metric = parts[2];
                requireName(METRIC_NAME, metric, where);
                String rest = parts.length == 4 ? parts[3] : "";
                if (parts[1].equals("HELP")) {
                    if (help.put(metric, unescape(rest, false, where)) != null) {
                        throw new IllegalArgumentException(where + "a second HELP for " + metric);
                    }
                } else {
                    if (!TYPES.contains(rest)) {
                        throw new IllegalArgumentException(where + "unknown type '" + rest + "'");
                    }
                    if (types.put(metric, rest) != null) {
                        throw new IllegalArgumentException(where + "a second TYPE for " + metric);
                    }
                    if (samples.stream().anyMatch(s -> s.name().equals(metric))) {
                        throw new IllegalArgumentException(where + "TYPE after a sample of " + metric);
                    }
                }
            } else {
                Sample sample = sample(line, where);
                metric = sample.name();
                if (!series.add(List.of(sample.name(), sample.labels()))) {
                    throw new IllegalArgumentException(where + "a second sample of the same series");
                }
                samples.add(sample);
            }
            if (!metric.equals(current)) {
                if (!closedMetrics.add(metric)) {
                    throw new IllegalArgumentException(where + "the lines of " + metric + " are not in one group");
                }
                current = metric;
            }
        }
        return new Exposition(List.copyOf(samples), help, types);
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
            i++;
        }
        String name = line.substring(0, i);
        requireName(METRIC_NAME, name, where);
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                i = skipBlanks(line, i);
                if (i < line.length() && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int start = i;
                while (i < line.length() && line.charAt(i) != '=' && line.charAt(i) != ' ') {
                    i++;
                }
                String label = line.substring(start, i);
                requireName(LABEL_NAME, label, where);
                i = skipBlanks(line, i);
                if (i + 1 >= line.length() || line.charAt(i) != '=' || line.charAt(skipBlanks(line, i + 1)) != '"') {
                    throw new IllegalArgumentException(where + "label " + label + " is not followed by =\"");
                }
                i = skipBlanks(line, i + 1) + 1;
                StringBuilder raw = new StringBuilder();
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException(where + "unterminated label value");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    raw.append(c);
                    if (c == '\\') {
                        if (i >= line.length()) {
                            throw new IllegalArgumentException(where + "unterminated escape");
                        }
                        raw.append(line.charAt(i++));
                    }
                }
                if (labels.put(label, unescape(raw.toString(), true, where)) != null) {
                    throw new IllegalArgumentException(where + "label " + label + " twice");
                }
                i = skipBlanks(line, i);
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i >= line.length() || line.charAt(i) != '}') {
                    throw new IllegalArgumentException(where + "expected , or } after a label");
                }
            }
        }
        String[] rest = line.substring(i).strip().split("[ \t]+");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty() || i < line.length()
                && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
            throw new IllegalArgumentException(where + "expected a value and an optional timestamp");
        }
        if (!FLOAT.matcher(rest[0]).matches()) {
            throw new IllegalArgumentException(where + "'" + rest[0] + "' is not a float");
        }
        if (rest.length == 2 && !rest[1].matches("-?[0-9]+")) {
            throw new IllegalArgumentException(where + "'" + rest[1] + "' is not a timestamp (int64 milliseconds)");
        }
        String value = rest[0].replace("Inf", "Infinity").replace("inf", "Infinity");
        return new Sample(name, Map.copyOf(labels), Double.parseDouble(value));
    }

    private static int skipBlanks(String line, int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static void requireName(Pattern pattern, String name, String where) {
        if (!pattern.matcher(name).matches()) {
            throw new IllegalArgumentException(where + "'" + name + "' is not a valid name");
        }
    }

    /** Help text: {@code \\} and {@code \n}; label values also {@code \"}. Any other escape is kept as it is. */
    private static String unescape(String raw, boolean labelValue, String where) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 == raw.length()) {
                out.append(c);
                continue;
            }
            char next = raw.charAt(++i);
            switch (next) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case '"' -> out.append(labelValue ? "\"" : "\\\"");
                default -> out.append('\\').append(next);
            }
        }
        return out.toString();
    }
}
