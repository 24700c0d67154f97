package org.osmetrics.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints the figures as a fixed-width table (and as Markdown for BENCHMARKS.md). */
final class Table {
    private static final double MB = 1024.0 * 1024.0;

    private Table() {
    }

    static void print(PrintWriter out, List<Figure> figures, boolean markdown) {
        String[] header = {"stage", "rows", "seconds", "rows/s", "x ref", "ref", "peak heap MB", "live heap MB",
            "peak RSS MB", "DB MB/M rows", "note"};
        if (markdown) {
            out.println("| " + String.join(" | ", header) + " |");
            out.println("|" + "---|".repeat(header.length));
        } else {
            out.printf(Locale.ROOT, "%-58s %11s %9s %10s %6s %-32s %8s %8s %8s %9s  %s%n", (Object[]) header);
        }
        for (Figure figure : figures) {
            Figure reference = figure.reference() == null ? null : find(figures, figure.reference());
            String ratio = reference == null || reference.rowsPerSecond() == 0 ? "" : String.format(Locale.ROOT, "%.2f",
                    figure.rowsPerSecond() / reference.rowsPerSecond());
            Meter.Sample memory = figure.memory();
            String[] cells = {
                figure.stage(),
                String.format(Locale.ROOT, "%,d", figure.rows()),
                String.format(Locale.ROOT, "%.2f", figure.seconds()),
                String.format(Locale.ROOT, "%,.0f", figure.rowsPerSecond()),
                ratio,
                figure.reference() == null ? "" : figure.reference(),
                memory == null ? "" : megabytes(memory.peakHeap()),
                memory == null ? "" : megabytes(memory.liveHeap()),
                memory == null ? "" : megabytes(memory.peakRss()) + (memory.rssSinceStart() ? "*" : ""),
                figure.dbBytes() < 0 || figure.dbRows() == 0 ? ""
                        : String.format(Locale.ROOT, "%.1f", figure.dbBytes() / MB / (figure.dbRows() / 1e6)),
                figure.note() == null ? "" : figure.note()};
            if (markdown) {
                out.println("| " + String.join(" | ", cells) + " |");
            } else {
                out.printf(Locale.ROOT, "%-58s %11s %9s %10s %6s %-32s %8s %8s %8s %9s  %s%n", (Object[]) cells);
            }
        }
        out.flush();
    }

    private static Figure find(List<Figure> figures, String stage) {
        return figures.stream().filter(f -> f.stage().equals(stage)).findFirst().orElse(null);
    }

    private static String megabytes(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0f", bytes / MB);
    }
}
