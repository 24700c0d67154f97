package org.osmetrics.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts for the showback page: stacked vertical bars, lines and horizontal bars, each a
 * self-contained {@code <svg>} element with a {@code viewBox} (it scales to its container), axis ticks at round
 * values, and a {@code <title>} on every mark (the browser's tooltip, no script). Every text is escaped. Stateless.
 */
final class Svg {
    /** One series of a chart: a name (legend, tooltips), a CSS colour and one value per category (null: none). */
    record Series(String name, String color, List<Double> values) {
        Series {
            values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
        }

        double at(int i) {
            Double v = values.get(i);
            return v == null ? 0 : v;
        }
    }

    private static final int LEFT = 64;
    private static final int RIGHT = 12;
    private static final int TOP = 12;
    private static final int BOTTOM = 28;
    private static final String FONT = "font-family=\"sans-serif\" font-size=\"12\"";

    private Svg() {
    }

    /**
     * Stacked vertical bars: one bar per category, one segment per series (bottom first).
     *
     * @param unit the unit of the values, for the tooltips ("vCPU-h", "EUR")
     */
    static String stackedBars(String label, List<String> categories, List<Series> series, String unit, int width, int height) {
        requireSameLength(categories, series);
        double max = 0;
        for (int i = 0; i < categories.size(); i++) {
            double total = 0;
            for (Series s : series) {
                total += Math.max(0, s.at(i));
            }
            max = Math.max(max, total);
        }
        double[] ticks = ticks(max);
        double top = ticks[ticks.length - 1];
        StringBuilder svg = open(label, width, height);
        axes(svg, ticks, width, height);
        double plotWidth = width - LEFT - RIGHT;
        double plotHeight = height - TOP - BOTTOM;
        double slot = categories.isEmpty() ? plotWidth : plotWidth / categories.size();
        double barWidth = Math.max(1, slot * 0.7);
        int every = labelEvery(categories.size(), plotWidth);
        for (int i = 0; i < categories.size(); i++) {
            double x = LEFT + i * slot + (slot - barWidth) / 2;
            double base = TOP + plotHeight;
            for (Series s : series) {
                double v = Math.max(0, s.at(i));
                if (v == 0) {
                    continue;
                }
                double h = v / top * plotHeight;
                base -= h;
                svg.append("<rect class=\"bar\" x=\"").append(n(x)).append("\" y=\"").append(n(base)).append("\" width=\"")
                        .append(n(barWidth)).append("\" height=\"").append(n(h)).append("\" fill=\"").append(esc(s.color()))
                        .append("\"><title>").append(esc(s.name() + ", " + categories.get(i) + ": " + number(v) + " " + unit))
                        .append("</title></rect>");
            }
            if (i % every == 0) {
                xLabel(svg, LEFT + i * slot + slot / 2, height, categories.get(i));
            }
        }
        return svg.append("</svg>").toString();
    }

    /** Lines with a dot per value: one line per series, over the categories. */
    static String lines(String label, List<String> categories, List<Series> series, String unit, int width, int height) {
        requireSameLength(categories, series);
        double max = 0;
        for (Series s : series) {
            for (int i = 0; i < categories.size(); i++) {
                max = Math.max(max, s.at(i));
            }
        }
        double[] ticks = ticks(max);
        double top = ticks[ticks.length - 1];
        StringBuilder svg = open(label, width, height);
        axes(svg, ticks, width, height);
        double plotWidth = width - LEFT - RIGHT;
        double plotHeight = height - TOP - BOTTOM;
        double slot = categories.isEmpty() ? plotWidth : plotWidth / categories.size();
        int every = labelEvery(categories.size(), plotWidth);
        for (int i = 0; i < categories.size(); i += every) {
            xLabel(svg, LEFT + i * slot + slot / 2, height, categories.get(i));
        }
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int i = 0; i < categories.size(); i++) {
                if (s.values().get(i) == null) {
                    continue;
                }
                double x = LEFT + i * slot + slot / 2;
                double y = TOP + plotHeight - Math.max(0, s.at(i)) / top * plotHeight;
                points.append(points.length() == 0 ? "" : " ").append(n(x)).append(',').append(n(y));
                dots.append("<circle class=\"dot\" cx=\"").append(n(x)).append("\" cy=\"").append(n(y))
                        .append("\" r=\"3\" fill=\"").append(esc(s.color())).append("\"><title>")
                        .append(esc(s.name() + ", " + categories.get(i) + ": " + number(s.at(i)) + " " + unit))
                        .append("</title></circle>");
            }
            svg.append("<polyline class=\"line\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(esc(s.color()))
                    .append("\" points=\"").append(points).append("\"/>").append(dots);
        }
        return svg.append("</svg>").toString();
    }

    /** Horizontal bars, one per label, longest first as given, the value written at the end of each bar. */
    static String horizontalBars(String label, List<String> labels, List<Double> values, String color, String unit, int width) {
        if (labels.size() != values.size()) {
            throw new IllegalArgumentException(labels.size() + " labels for " + values.size() + " values");
        }
        int row = 22;
        int labelWidth = 150;
        int valueWidth = 110;
        int height = Math.max(row, labels.size() * row) + 4;
        double max = values.stream().mapToDouble(v -> v == null ? 0 : Math.max(0, v)).max().orElse(0);
        StringBuilder svg = open(label, width, height);
        double plotWidth = width - labelWidth - valueWidth;
        for (int i = 0; i < labels.size(); i++) {
            double v = values.get(i) == null ? 0 : Math.max(0, values.get(i));
            double w = max == 0 ? 0 : v / max * plotWidth;
            double y = 2 + i * row;
            svg.append("<text x=\"").append(labelWidth - 6).append("\" y=\"").append(n(y + row / 2.0 + 4))
                    .append("\" text-anchor=\"end\" ").append(FONT).append(" fill=\"#333\">")
                    .append(esc(shorten(labels.get(i), 20))).append("</text>");
            svg.append("<rect class=\"bar\" x=\"").append(labelWidth).append("\" y=\"").append(n(y + 3)).append("\" width=\"")
                    .append(n(w)).append("\" height=\"").append(row - 6).append("\" fill=\"").append(esc(color))
                    .append("\"><title>").append(esc(labels.get(i) + ": " + number(v) + " " + unit)).append("</title></rect>");
            svg.append("<text x=\"").append(n(labelWidth + w + 6)).append("\" y=\"").append(n(y + row / 2.0 + 4)).append("\" ")
                    .append(FONT).append(" fill=\"#333\">").append(esc(number(v) + " " + unit)).append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    /** Round tick values from 0 up to at least {@code max}: steps of 1, 2 or 5 times a power of ten, 3 to 6 ticks. */
    static double[] ticks(double max) {
        if (!(max > 0) || Double.isInfinite(max)) {
            return new double[] {0, 1};
        }
        double raw = max / 4;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = power;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                step = m * power;
                break;
            }
        }
        int count = (int) Math.ceil(max / step - 1e-9);
        double[] ticks = new double[count + 1];
        for (int i = 0; i <= count; i++) {
            ticks[i] = i * step;
        }
        return ticks;
    }

    private static void requireSameLength(List<String> categories, List<Series> series) {
        for (Series s : series) {
            if (s.values().size() != categories.size()) {
                throw new IllegalArgumentException("series " + s.name() + " has " + s.values().size() + " values for "
                        + categories.size() + " categories");
            }
        }
    }

    private static StringBuilder open(String label, int width, int height) {
        return new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" aria-label=\"").append(esc(label)).append("\"><title>").append(esc(label))
                .append("</title>");
    }

    private static void axes(StringBuilder svg, double[] ticks, int width, int height) {
        double plotHeight = height - TOP - BOTTOM;
        double top = ticks[ticks.length - 1];
        for (double t : ticks) {
            double y = TOP + plotHeight - t / top * plotHeight;
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(width - RIGHT).append("\" y1=\"").append(n(y))
                    .append("\" y2=\"").append(n(y)).append("\" stroke=\"").append(t == 0 ? "#888" : "#e3e3e3")
                    .append("\" stroke-width=\"1\"/>");
            svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(n(y + 4)).append("\" text-anchor=\"end\" ")
                    .append(FONT).append(" fill=\"#555\">").append(esc(number(t))).append("</text>");
        }
    }

    private static void xLabel(StringBuilder svg, double x, int height, String text) {
        svg.append("<text x=\"").append(n(x)).append("\" y=\"").append(height - BOTTOM + 16).append("\" text-anchor=\"middle\" ")
                .append(FONT).append(" fill=\"#555\">").append(esc(text)).append("</text>");
    }

    /** Show every n-th category label so that labels (about 54 units wide) do not overlap. */
    private static int labelEvery(int categories, double plotWidth) {
        if (categories == 0) {
            return 1;
        }
        return Math.max(1, (int) Math.ceil(categories * 54 / plotWidth));
    }

    private static String shorten(String text, int max) {
        return text.codePointCount(0, text.length()) <= max ? text
                : text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
    }

    /** A coordinate: one decimal, always a dot. */
    private static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A value for an axis or tooltip: grouped, at most two decimals. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.1f" : "%,.2f", v);
    }

    private static String esc(String text) {
        return InvoiceRenderer.esc(text);
    }
}
