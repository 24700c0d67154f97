package org.osmetrics.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Draws a {@link Showback.Data} as one self-contained HTML page: no script, no network (a Content-Security-Policy
 * forbids both), charts as inline SVG ({@link Svg}), every name escaped. It is well-formed XML as well (XHTML
 * syntax), so that a test can read it back. Numbers: quantities are shown rounded to 2 decimals (half up), amounts
 * at their currency's scale; each cell of a figure carries the view's exact value in {@code data-value}. Printing
 * (A4): one page or more for the overview, each project from a new page, the period's completeness on every page.
 */
final class ShowbackHtml {
    /** Colour-blind-friendly categorical palette (Tableau 10); the last is "other". */
    static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
            "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac");
    /** Projects drawn apart in the overview's stacked charts; the rest is one "other" segment. */
    static final int CHART_PROJECTS = 8;
    private static final String ACCENT = "#4e79a7";
    private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Showback.Data data;
    private final String month;
    private final String previousMonth;
    /** The projects with usage in the month, most vCPU-hours first. */
    private final List<Showback.MonthUsage> projects;
    private final Map<String, String> names = new TreeMap<>();
    private final List<String> currencies;
    private final Map<String, Completeness.Period> completeness = new TreeMap<>();
    private final Map<String, String> colors = new LinkedHashMap<>();
    /** The rows by month, and by project and month (key {@link #key}): each looked up, never searched. */
    private final Map<String, List<Showback.MonthUsage>> usageByMonth;
    private final Map<String, Showback.MonthUsage> usageByKey = new TreeMap<>();
    private final Map<String, List<Showback.Cost>> costsByMonth;
    private final Map<String, BigDecimal> costByKey = new TreeMap<>();
    private final Map<String, Integer> currencyScale = new TreeMap<>();
    private final Map<String, List<Showback.Day>> dailyByProject;
    private final Map<String, List<Showback.Line>> linesByProject;
    private final Map<String, List<Showback.Server>> serversByProject;
    private final Map<String, List<Showback.State>> statesByProject;
    private final StringBuilder h = new StringBuilder(1 << 16);

    ShowbackHtml(Showback.Data data) {
        this.data = data;
        this.month = data.month().toString();
        this.previousMonth = data.month().minusMonths(1).toString();
        for (Showback.MonthUsage u : data.monthly()) {
            if (u.projectName() != null) {
                names.put(u.projectId(), u.projectName());
            }
        }
        for (Completeness.Period p : data.completeness()) {
            completeness.put(p.projectId(), p);
            if (p.projectName() != null) {
                names.putIfAbsent(p.projectId(), p.projectName());
            }
        }
        this.usageByMonth = data.monthly().stream().collect(Collectors.groupingBy(Showback.MonthUsage::month));
        data.monthly().forEach(u -> usageByKey.put(key(u.projectId(), u.month(), ""), u));
        this.costsByMonth = data.costs().stream().collect(Collectors.groupingBy(Showback.Cost::month));
        for (Showback.Cost c : data.costs()) {
            if (c.currency() != null && c.amount() != null) {
                costByKey.merge(key(c.projectId(), c.month(), c.currency()), c.amount(), BigDecimal::add);
                currencyScale.merge(c.currency(), c.amount().scale(), Math::max);
            }
        }
        this.dailyByProject = data.daily().stream().collect(Collectors.groupingBy(Showback.Day::projectId));
        this.linesByProject = data.lines().stream().collect(Collectors.groupingBy(Showback.Line::projectId));
        this.serversByProject = data.servers().stream().collect(Collectors.groupingBy(Showback.Server::projectId));
        this.statesByProject = data.states().stream().collect(Collectors.groupingBy(Showback.State::projectId));
        this.projects = usageByMonth.getOrDefault(month, List.of()).stream()
                .sorted(Comparator.comparing(Showback.MonthUsage::vcpuHours).reversed()
                        .thenComparing(Showback.MonthUsage::projectId))
                .toList();
        this.currencies = data.costs().stream().map(Showback.Cost::currency).filter(Objects::nonNull).distinct().sorted()
                .toList();
        // colours by the projects' 12-month vCPU-hours, so a project keeps its colour in every chart
        Map<String, BigDecimal> yearly = new TreeMap<>();
        data.monthly().forEach(u -> yearly.merge(u.projectId(), u.vcpuHours(), BigDecimal::add));
        List<String> ranked = yearly.entrySet().stream()
                .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        for (int i = 0; i < ranked.size(); i++) {
            colors.put(ranked.get(i), i < CHART_PROJECTS ? PALETTE.get(i) : PALETTE.get(PALETTE.size() - 1));
        }
    }

    String render() {
        head();
        h.append("<body>\n<header class=\"top\"><div class=\"wrap\"><h1>Showback ").append(esc(month)).append("</h1>")
                .append("<p class=\"sub\">Cloud <b>").append(esc(data.cloud())).append("</b> · ")
                .append(esc(data.from().toString())).append(" to ").append(esc(data.to().toString()))
                .append(" · generated ").append(GENERATED.format(data.generatedAt())).append(" by os-metrics</p></div></header>\n");
        h.append("<main>\n");
        nav();
        overview();
        for (int i = 0; i < projects.size(); i++) {
            project(i, projects.get(i));
        }
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private void head() {
        h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"UTF-8\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<meta name=\"generator\" content=\"os-metrics report html\"/>\n")
                .append("<title>").append(esc("Showback " + month + " · " + data.cloud())).append("</title>\n<style>\n")
                .append(STYLE).append(pageStyle()).append("</style>\n</head>\n");
    }

    private static final String STYLE = """
            :root { --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee5; }
            * { box-sizing: border-box; }
            body { margin: 0; color: var(--ink); background: #f3f5f7;
                   font: 14px/1.45 system-ui, "Segoe UI", Roboto, "DejaVu Sans", "Noto Sans", "Droid Sans Fallback", sans-serif; }
            .wrap, main { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
            header.top { background: #1f2933; color: #fff; padding: 14px 0; }
            header.top h1 { margin: 0; font-size: 22px; }
            header.top .sub { margin: 2px 0 0; color: #c9d1da; overflow-wrap: anywhere; }
            nav { margin: 14px 0 0; font-size: 13px; }
            nav a { display: inline-block; margin: 0 6px 4px 0; padding: 2px 8px; border: 1px solid var(--line);
                    border-radius: 12px; background: #fff; color: var(--ink); text-decoration: none; }
            section.page { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px;
                           margin: 16px 0; }
            h2 { margin: 0 0 4px; font-size: 20px; overflow-wrap: anywhere; }
            h3 { margin: 18px 0 6px; font-size: 15px; }
            .id { color: var(--muted); font: 12px monospace; overflow-wrap: anywhere; }
            .status { border-radius: 6px; padding: 7px 12px; margin: 8px 0 14px; border: 1px solid; }
            .status b { text-transform: uppercase; letter-spacing: .03em; }
            .status.complete { background: #e7f5ec; color: #17683a; border-color: #b6dfc4; }
            .status.provisional { background: #fff6e0; color: #8a5300; border-color: #f0d28c; }
            .status.incomplete { background: #fdecea; color: #a1241c; border-color: #f2b8b2; }
            .status.not_expected, .status.unknown { background: #eef1f4; color: #4a5563; border-color: var(--line); }
            .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 6px 0 10px; }
            .kpi { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
            .kpi .v { font-size: 19px; font-weight: 700; white-space: nowrap; }
            .kpi .l { color: var(--muted); font-size: 12px; }
            .kpi .d { color: var(--muted); font-size: 12px; }
            .grid2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 24px; }
            @media (max-width: 860px) { .grid2 { grid-template-columns: minmax(0, 1fr); } }
            figure { margin: 8px 0 12px; }
            figcaption { font-weight: 600; margin: 0 0 4px; font-size: 14px; }
            svg.chart { display: block; width: 100%; height: auto; }
            .legend { list-style: none; padding: 0; margin: 4px 0 0; font-size: 12px; color: var(--muted); }
            .legend li { display: inline-block; margin: 0 12px 2px 0; overflow-wrap: anywhere; }
            .sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
            table { width: 100%; border-collapse: collapse; font-size: 13px; margin: 4px 0 8px; }
            th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
            th { color: var(--muted); font-weight: 600; font-size: 12px; border-bottom: 1px solid #aab3bf; }
            .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            table.trend td, table.trend th { white-space: nowrap; padding: 3px 6px; }
            td.name { overflow-wrap: anywhere; }
            th.num { white-space: normal; }
            tr.total td { font-weight: 700; border-top: 2px solid var(--ink); border-bottom: none; }
            .up { color: #a1241c; } .down { color: #17683a; }
            .note { color: var(--muted); font-size: 12px; }
            @media print {
              * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
              body { background: #fff; font-size: 9.5pt; }
              .wrap, main { max-width: none; padding: 0; }
              header.top { background: #fff; color: var(--ink); padding: 0 0 4px; border-bottom: 2px solid var(--ink); }
              header.top .sub { color: var(--muted); }
              nav { display: none; }
              section.page { border: none; border-radius: 0; padding: 0; margin: 10px 0 0; }
              section.project { break-before: page; margin-top: 0; }
              figure, .kpis, .status, tr { break-inside: avoid; }
              h2, h3, figcaption { break-after: avoid; }
              thead { display: table-header-group; }
              .grid2 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
              details { display: none; }
            }
            """;

    /** A4, and in the margin of every printed page: the cloud, the month, its completeness and the page number. */
    private String pageStyle() {
        long projectsWithPeriod = data.completeness().size();
        String footer = "Showback " + month + " · " + data.cloud() + " · period " + cloudStatus().replace('_', ' ')
                + (projectsWithPeriod == 0 ? "" : " (" + data.completeness().stream().filter(p -> p.status().equals(cloudStatus()))
                        .count() + " of " + projectsWithPeriod + (projectsWithPeriod == 1 ? " project)" : " projects)"));
        return "@page { size: A4; margin: 12mm 10mm 14mm;\n"
                + "  @bottom-left { content: " + cssString(footer) + "; font: 7.5pt sans-serif; color: #555; }\n"
                + "  @bottom-right { content: \"page \" counter(page) \" of \" counter(pages); font: 7.5pt sans-serif;"
                + " color: #555; }\n}\n";
    }

    /** A CSS string literal of any text: quotes, backslashes, markup and line breaks escaped. */
    static String cssString(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c < 0x20 || c == 0x7f) {
                out.append('\\').append(Integer.toHexString(c)).append(' ');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    private void nav() {
        if (projects.isEmpty()) {
            return;
        }
        h.append("<nav><a href=\"#overview\">Overview</a>");
        for (int i = 0; i < projects.size(); i++) {
            h.append("<a href=\"#p").append(i + 1).append("\">").append(esc(shorten(name(projects.get(i).projectId()), 40)))
                    .append("</a>");
        }
        h.append("</nav>\n");
    }

    private void overview() {
        h.append("<section class=\"page overview\" id=\"overview\">\n<h2>Cloud overview</h2>\n");
        status(cloudStatus(), cloudStatusLine());
        // the month's key figures
        List<Showback.MonthUsage> previous = usageByMonth.getOrDefault(previousMonth, List.of());
        h.append("<div class=\"kpis\">");
        for (String currency : currencies) {
            kpi("Cost (" + currency + ")", "cost", money(cost(null, month, currency)), cost(null, month, currency),
                    change(cost(null, month, currency), cost(null, previousMonth, currency)));
        }
        BigDecimal vcpu = sum(projects, Showback.MonthUsage::vcpuHours);
        kpi("vCPU-hours", "vcpu_hours", qty(vcpu), vcpu, change(vcpu, sum(previous, Showback.MonthUsage::vcpuHours)));
        BigDecimal ram = sum(projects, Showback.MonthUsage::ramGbHours);
        kpi("RAM GiB-hours", "ram_gb_hours", qty(ram), ram, change(ram, sum(previous, Showback.MonthUsage::ramGbHours)));
        BigDecimal serverHours = sum(projects, Showback.MonthUsage::serverHours);
        kpi("Server-hours", "server_hours", qty(serverHours), serverHours,
                change(serverHours, sum(previous, Showback.MonthUsage::serverHours)));
        kpi("Projects with usage", "projects", String.valueOf(projects.size()), BigDecimal.valueOf(projects.size()), "");
        h.append("</div>\n");
        if (data.monthly().isEmpty()) {
            h.append("<p class=\"note\">No usage in the 12 months up to ").append(esc(month)).append(".</p>\n</section>\n");
            return;
        }
        projectTable();
        // the last 12 months by project
        List<String> chartProjects = new ArrayList<>(colors.keySet());
        h.append("<div class=\"grid2\">");
        for (String currency : currencies) {
            h.append("<figure class=\"cost-by-project\"><figcaption>Cost by project, last 12 months (").append(esc(currency))
                    .append(")</figcaption>")
                    .append(Svg.stackedBars("Cost by project per month in " + currency, data.months(),
                            byProject(chartProjects, (p, m) -> cost(p, m, currency)), currency, 480, 240))
                    .append("</figure>");
        }
        h.append("<figure class=\"usage-by-project\"><figcaption>vCPU-hours by project, last 12 months</figcaption>")
                .append(Svg.stackedBars("vCPU-hours by project per month", data.months(),
                        byProject(chartProjects, (p, m) -> usage(p, m, Showback.MonthUsage::vcpuHours)), "vCPU-h", 480, 240))
                .append("</figure>");
        h.append("</div>\n");
        legend(chartProjects);
        if (currencies.isEmpty()) {
            h.append("<p class=\"note\">No costs: no price of the rate card is in force for this usage"
                    + " (os-metrics rates import).</p>\n");
        }
        trend();
        flavors();
        h.append("</section>\n");
    }

    /** The monthly totals of the cloud: a line chart and a table, with the change from month to month. */
    private void trend() {
        h.append("<h3>Trend</h3>\n<div class=\"grid2\"><figure class=\"trend\"><figcaption>")
                .append(currencies.isEmpty() ? "vCPU-hours per month" : "Cost per month").append("</figcaption>");
        List<Svg.Series> series = new ArrayList<>();
        if (currencies.isEmpty()) {
            series.add(new Svg.Series("vCPU-hours", ACCENT, data.months().stream()
                    .map(m -> usage(null, m, Showback.MonthUsage::vcpuHours).doubleValue()).toList()));
        } else {
            for (int i = 0; i < currencies.size(); i++) {
                String currency = currencies.get(i);
                series.add(new Svg.Series(currency, PALETTE.get(i % PALETTE.size()), data.months().stream()
                        .map(m -> cost(null, m, currency).doubleValue()).toList()));
            }
        }
        h.append(Svg.lines("Cloud totals per month", data.months(), series,
                currencies.isEmpty() ? "vCPU-h" : String.join("/", currencies), 480, 220));
        h.append("</figure>\n<table class=\"trend\"><thead><tr><th>Month</th><th class=\"num\">vCPU-hours</th>"
                + "<th class=\"num\">Change</th><th class=\"num\">Server-hours</th>");
        for (String currency : currencies) {
            h.append("<th class=\"num\">Cost (").append(esc(currency)).append(")</th><th class=\"num\">Change</th>");
        }
        h.append("</tr></thead><tbody>");
        for (int i = 0; i < data.months().size(); i++) {
            String m = data.months().get(i);
            String before = i == 0 ? null : data.months().get(i - 1);
            BigDecimal v = usage(null, m, Showback.MonthUsage::vcpuHours);
            h.append("<tr data-month=\"").append(esc(m)).append("\"><td>").append(esc(m)).append("</td>");
            cell("vcpu_hours", qty(v), v);
            h.append("<td class=\"num\">").append(before == null ? "" : change(v, usage(null, before, Showback.MonthUsage::vcpuHours)))
                    .append("</td>");
            BigDecimal s = usage(null, m, Showback.MonthUsage::serverHours);
            cell("server_hours", qty(s), s);
            for (String currency : currencies) {
                BigDecimal c = cost(null, m, currency);
                cell("cost", money(c), c);
                h.append("<td class=\"num\">").append(before == null ? "" : change(c, cost(null, before, currency)))
                        .append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</tbody></table></div>\n");
    }

    private void flavors() {
        h.append("<h3>By flavor, ").append(esc(month)).append("</h3>\n");
        if (data.flavors().isEmpty()) {
            h.append("<p class=\"note\">No usage in the month.</p>\n");
            return;
        }
        h.append("<div class=\"grid2\"><figure class=\"by-flavor\"><figcaption>vCPU-hours by flavor</figcaption>")
                .append(Svg.horizontalBars("vCPU-hours by flavor", data.flavors().stream().map(Showback.Flavor::flavor).toList(),
                        data.flavors().stream().map(f -> f.vcpuHours().doubleValue()).toList(), ACCENT, "vCPU-h", 480))
                .append("</figure>\n<table class=\"flavors\"><thead><tr><th>Flavor</th><th class=\"num\">Servers</th>"
                        + "<th class=\"num\">Server-hours</th><th class=\"num\">vCPU-hours</th><th class=\"num\">RAM GiB-hours</th>"
                        + "</tr></thead><tbody>");
        for (Showback.Flavor f : data.flavors()) {
            h.append("<tr data-flavor=\"").append(esc(f.flavor())).append("\"><td>").append(esc(f.flavor()))
                    .append("</td>");
            cell("server_count", String.valueOf(f.serverCount()), BigDecimal.valueOf(f.serverCount()));
            cell("server_hours", qty(f.serverHours()), f.serverHours());
            cell("vcpu_hours", qty(f.vcpuHours()), f.vcpuHours());
            cell("ram_gb_hours", qty(f.ramGbHours()), f.ramGbHours());
            h.append("</tr>");
        }
        h.append("</tbody></table></div>\n");
    }

    /** The month per project, with a total row and a link to each project's page. */
    private void projectTable() {
        h.append("<h3>Projects, ").append(esc(month)).append("</h3>\n<table class=\"projects\"><thead><tr><th>Project</th>"
                + "<th class=\"num\">vCPU-hours</th><th class=\"num\">RAM GiB-hours</th><th class=\"num\">Disk GB-hours</th>"
                + "<th class=\"num\">Server-hours</th><th class=\"num\">Servers</th>");
        for (String currency : currencies) {
            h.append("<th class=\"num\">Cost (").append(esc(currency)).append(")</th>");
        }
        h.append("<th>Completeness</th></tr></thead><tbody>");
        if (projects.isEmpty()) {
            h.append("<tr><td class=\"note\" colspan=\"").append(7 + currencies.size())
                    .append("\">No project used anything in the month.</td></tr>");
        }
        for (int i = 0; i < projects.size(); i++) {
            Showback.MonthUsage u = projects.get(i);
            h.append("<tr data-project=\"").append(esc(u.projectId())).append("\"><td class=\"name\"><span class=\"sw\" style=\"background:")
                    .append(colors.get(u.projectId())).append("\"></span><a href=\"#p").append(i + 1).append("\">")
                    .append(esc(name(u.projectId()))).append("</a></td>");
            cell("vcpu_hours", qty(u.vcpuHours()), u.vcpuHours());
            cell("ram_gb_hours", qty(u.ramGbHours()), u.ramGbHours());
            cell("disk_gb_hours", qty(u.diskGbHours()), u.diskGbHours());
            cell("server_hours", qty(u.serverHours()), u.serverHours());
            cell("server_count", String.valueOf(u.serverCount()), BigDecimal.valueOf(u.serverCount()));
            for (String currency : currencies) {
                BigDecimal c = cost(u.projectId(), month, currency);
                cell("cost", money(c), c);
            }
            h.append("<td>").append(esc(statusOf(u.projectId()))).append("</td></tr>");
        }
        h.append("</tbody><tfoot><tr class=\"total\"><td>Total</td>");
        BigDecimal vcpu = sum(projects, Showback.MonthUsage::vcpuHours);
        BigDecimal ram = sum(projects, Showback.MonthUsage::ramGbHours);
        BigDecimal disk = sum(projects, Showback.MonthUsage::diskGbHours);
        BigDecimal hours = sum(projects, Showback.MonthUsage::serverHours);
        cell("vcpu_hours", qty(vcpu), vcpu);
        cell("ram_gb_hours", qty(ram), ram);
        cell("disk_gb_hours", qty(disk), disk);
        cell("server_hours", qty(hours), hours);
        h.append("<td></td>");
        for (String currency : currencies) {
            BigDecimal c = cost(null, month, currency);
            cell("cost", money(c), c);
        }
        h.append("<td></td></tr></tfoot></table>\n");
        long unpriced = costsByMonth.getOrDefault(month, List.of()).stream().mapToLong(Showback.Cost::unpriced).sum();
        if (unpriced > 0) {
            h.append("<p class=\"note\">").append(unpriced).append(unpriced == 1 ? " line" : " lines")
                    .append(" of usage in the month had no price in force: not in the costs (README, \"rates\").</p>\n");
        }
    }

    private void project(int index, Showback.MonthUsage u) {
        String id = u.projectId();
        h.append("<section class=\"page project\" id=\"p").append(index + 1).append("\" data-project=\"").append(esc(id))
                .append("\">\n<h2>").append(esc(name(id))).append("</h2><div class=\"id\">project ").append(esc(id))
                .append(" · ").append(esc(month)).append("</div>\n");
        Completeness.Period period = completeness.get(id);
        status(period == null ? "unknown" : period.status(), projectStatusLine(period));
        Showback.MonthUsage before = usageByKey.get(key(id, previousMonth, ""));
        h.append("<div class=\"kpis\">");
        for (String currency : currencies) {
            BigDecimal c = cost(id, month, currency);
            kpi("Cost (" + currency + ")", "cost", money(c), c, change(c, cost(id, previousMonth, currency)));
        }
        kpi("vCPU-hours", "vcpu_hours", qty(u.vcpuHours()), u.vcpuHours(),
                change(u.vcpuHours(), before == null ? BigDecimal.ZERO : before.vcpuHours()));
        kpi("RAM GiB-hours", "ram_gb_hours", qty(u.ramGbHours()), u.ramGbHours(), "");
        kpi("Server-hours", "server_hours", qty(u.serverHours()), u.serverHours(), "");
        kpi("Servers", "server_count", String.valueOf(u.serverCount()), BigDecimal.valueOf(u.serverCount()), "");
        h.append("</div>\n<div class=\"grid2\">");
        // daily usage: every day of the month, zero where none
        Map<LocalDate, Showback.Day> days = dailyByProject.getOrDefault(id, List.of()).stream()
                .collect(Collectors.toMap(Showback.Day::day, d -> d, (a, b) -> a, TreeMap::new));
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int d = 1; d <= data.month().lengthOfMonth(); d++) {
            LocalDate day = data.month().atDay(d);
            labels.add(String.valueOf(d));
            Showback.Day usage = days.get(day);
            values.add(usage == null ? 0 : usage.vcpuHours().doubleValue());
        }
        h.append("<figure class=\"daily\"><figcaption>vCPU-hours per day</figcaption>")
                .append(Svg.stackedBars("vCPU-hours per day of " + month, labels,
                        List.of(new Svg.Series(name(id), colors.getOrDefault(id, ACCENT), values)), "vCPU-h", 480, 220))
                .append("</figure>");
        h.append("<figure class=\"monthly\"><figcaption>vCPU-hours, last 12 months</figcaption>")
                .append(Svg.stackedBars("vCPU-hours per month", data.months(),
                        List.of(new Svg.Series(name(id), colors.getOrDefault(id, ACCENT), data.months().stream()
                                .map(m -> usage(id, m, Showback.MonthUsage::vcpuHours).doubleValue()).toList())),
                        "vCPU-h", 480, 220))
                .append("</figure></div>\n");
        dailyTable(days);
        costLines(id);
        servers(id, u.serverCount());
        states(id);
        h.append("</section>\n");
    }

    /** The days with usage as a compact table (the chart's exact figures). */
    private void dailyTable(Map<LocalDate, Showback.Day> days) {
        if (days.isEmpty()) {
            return;
        }
        h.append("<details class=\"days\"><summary class=\"note\">Daily figures (").append(days.size())
                .append(days.size() == 1 ? " day" : " days").append(" with usage)</summary><table class=\"days\"><thead><tr>"
                        + "<th>Day</th><th class=\"num\">vCPU-hours</th><th class=\"num\">RAM GiB-hours</th>"
                        + "<th class=\"num\">Server-hours</th><th class=\"num\">Servers</th></tr></thead><tbody>");
        for (Showback.Day d : days.values()) {
            h.append("<tr data-day=\"").append(d.day()).append("\"><td>").append(d.day()).append("</td>");
            cell("vcpu_hours", qty(d.vcpuHours()), d.vcpuHours());
            cell("ram_gb_hours", qty(d.ramGbHours()), d.ramGbHours());
            cell("server_hours", qty(d.serverHours()), d.serverHours());
            cell("server_count", String.valueOf(d.serverCount()), BigDecimal.valueOf(d.serverCount()));
            h.append("</tr>");
        }
        h.append("</tbody></table></details>\n");
    }

    private void costLines(String id) {
        List<Showback.Line> lines = linesByProject.getOrDefault(id, List.of());
        if (lines.isEmpty()) {
            return;
        }
        h.append("<h3>Cost lines</h3>\n<table class=\"lines\"><thead><tr><th>Resource</th><th>Flavor</th>"
                + "<th class=\"num\">Quantity</th><th>Unit</th><th class=\"num\">Unit price</th><th class=\"num\">Amount</th>"
                + "</tr></thead><tbody>");
        for (Showback.Line l : lines) {
            h.append("<tr><td>").append(esc(l.resource())).append("</td><td class=\"name\">")
                    .append(esc(l.flavor() == null ? "" : l.flavor())).append("</td>");
            cell("quantity", qty(l.quantity()), l.quantity());
            h.append("<td>").append(esc(l.unit())).append("</td>");
            if (l.unitPrice() == null) {
                h.append("<td class=\"num\">no price</td><td class=\"num\">–</td>");
            } else {
                cell("unit_price", l.unitPrice().toPlainString() + " " + esc(l.currency()), l.unitPrice());
                cell("amount", money(l.amount()) + " " + esc(l.currency()), l.amount());
            }
            h.append("</tr>");
        }
        h.append("</tbody></table>\n");
    }

    private void servers(String id, long serverCount) {
        List<Showback.Server> top = serversByProject.getOrDefault(id, List.of());
        h.append("<h3>Top servers by vCPU-hours</h3>\n");
        if (top.size() < serverCount) {
            h.append("<p class=\"note\">The ").append(top.size()).append(" of ").append(serverCount)
                    .append(" servers that used the most.</p>\n");
        }
        h.append("<table class=\"servers\"><thead><tr><th>Server</th><th>Flavor</th><th>State</th>"
                + "<th class=\"num\">Server-hours</th><th class=\"num\">vCPU-hours</th><th class=\"num\">RAM GiB-hours</th>"
                + "</tr></thead><tbody>");
        for (Showback.Server s : top) {
            h.append("<tr data-server=\"").append(esc(s.instanceId())).append("\"><td class=\"name\">")
                    .append(esc(s.name() == null || s.name().isBlank() ? "(no name)" : s.name()))
                    .append("<div class=\"id\">").append(esc(s.instanceId())).append("</div></td><td class=\"name\">")
                    .append(esc(s.flavors() == null ? "" : s.flavors())).append("</td><td>")
                    .append(esc(s.state() == null ? "" : s.state())).append("</td>");
            cell("server_hours", qty(s.serverHours()), s.serverHours());
            cell("vcpu_hours", qty(s.vcpuHours()), s.vcpuHours());
            cell("ram_gb_hours", qty(s.ramGbHours()), s.ramGbHours());
            h.append("</tr>");
        }
        h.append("</tbody></table>\n");
    }

    /** The hours per state the servers were in (issue #15's timelines), or why it is not shown. */
    private void states(String id) {
        h.append("<h3>Hours by server state</h3>\n");
        List<Showback.State> states = statesByProject.getOrDefault(id, List.of());
        if (states.isEmpty()) {
            h.append("<p class=\"note\">No hours by state in the month.</p>\n");
            return;
        }
        if (states.stream().noneMatch(s -> s.stateKnown() || s.recovered())) {
            h.append("<p class=\"note states-missing\">No server timeline covers the month (timelines come from Nova's"
                    + " instance actions, read by run and backfill): its hours are counted as running, as Nova counts them.</p>\n");
            return;
        }
        List<String> labels = states.stream().map(ShowbackHtml::stateLabel).toList();
        h.append("<div class=\"grid2\"><figure class=\"states\"><figcaption>Server-hours by state</figcaption>")
                .append(Svg.horizontalBars("Server-hours by state", labels,
                        states.stream().map(s -> s.serverHours().doubleValue()).toList(), colors.getOrDefault(id, ACCENT),
                        "h", 480))
                .append("</figure><table class=\"states\"><thead><tr><th>State</th><th class=\"num\">Server-hours</th>"
                        + "<th class=\"num\">vCPU-hours</th></tr></thead><tbody>");
        for (int i = 0; i < states.size(); i++) {
            Showback.State s = states.get(i);
            h.append("<tr data-state=\"").append(esc(labels.get(i))).append("\"><td>").append(esc(labels.get(i))).append("</td>");
            cell("server_hours", qty(s.serverHours()), s.serverHours());
            cell("vcpu_hours", qty(s.vcpuHours()), s.vcpuHours());
            h.append("</tr>");
        }
        h.append("</tbody></table></div>\n");
        if (states.stream().anyMatch(s -> !s.stateKnown())) {
            h.append("<p class=\"note\">(inferred): no timeline covers that time; Nova's view implies the server ran.</p>\n");
        }
    }

    private static String stateLabel(Showback.State s) {
        return (s.vmState() == null ? "unknown" : s.vmState()) + (s.recovered() ? " (recovered)" : "")
                + (s.stateKnown() ? "" : " (inferred)");
    }

    // --- pieces

    private void status(String status, String line) {
        h.append("<div class=\"status ").append(esc(status)).append("\" data-status=\"").append(esc(status)).append("\">")
                .append("Period ").append(esc(month)).append(": <b>").append(esc(status.replace('_', ' '))).append("</b>")
                .append(esc(line.isEmpty() ? "" : " · " + line)).append("</div>\n");
    }

    /** The worst status of the cloud's projects for the month (incomplete, provisional, complete, not expected). */
    private String cloudStatus() {
        List<String> order = List.of("incomplete", "provisional", "complete", "not_expected");
        return data.completeness().stream().map(Completeness.Period::status)
                .min(Comparator.comparingInt(s -> order.indexOf(s) < 0 ? order.size() : order.indexOf(s)))
                .orElse("unknown");
    }

    private String cloudStatusLine() {
        if (data.completeness().isEmpty()) {
            return "completeness unknown: no data of the cloud reaches this month";
        }
        Map<String, Long> counts = data.completeness().stream()
                .collect(Collectors.groupingBy(Completeness.Period::status, TreeMap::new, Collectors.counting()));
        String split = counts.entrySet().stream().map(e -> e.getKey().replace('_', ' ') + " for " + e.getValue() + " of "
                + data.completeness().size() + (data.completeness().size() == 1 ? " project" : " projects"))
                .collect(Collectors.joining(", "));
        TreeSet<String> missing = new TreeSet<>();
        data.completeness().stream().map(Completeness.Period::missing).filter(Objects::nonNull)
                .forEach(m -> missing.addAll(List.of(m.split(", "))));
        int all = data.completeness().size();
        return (counts.size() == 1 ? (all == 1 ? "for its one project" : "for all " + all + " projects") : split)
                + (missing.isEmpty() ? "" : "; missing " + ranges(new ArrayList<>(missing)));
    }

    private String projectStatusLine(Completeness.Period period) {
        if (period == null) {
            return "no completeness record for this project and month";
        }
        return switch (period.status()) {
            case "complete" -> "every window loaded and closed: final";
            case "provisional" -> "nothing missing, but some windows are still open or were extracted while open: may change";
            case "incomplete" -> "missing " + ranges(List.of(period.missing() == null ? "" : period.missing()).stream()
                    .flatMap(m -> List.of(m.split(", ")).stream()).toList()) + ": the figures may grow";
            case "not_expected" -> "before the cloud's billing start";
            default -> "";
        };
    }

    /** At most four ranges, then how many more. */
    private static String ranges(List<String> ranges) {
        return ranges.stream().limit(4).collect(Collectors.joining(", "))
                + (ranges.size() > 4 ? " and " + (ranges.size() - 4) + " more" : "");
    }

    private String statusOf(String projectId) {
        Completeness.Period p = completeness.get(projectId);
        return p == null ? "unknown" : p.status().replace('_', ' ');
    }

    private void kpi(String label, String column, String text, BigDecimal exact, String change) {
        h.append("<div class=\"kpi\" data-col=\"").append(column).append("\" data-value=\"").append(exact.toPlainString())
                .append("\"><div class=\"l\">").append(esc(label)).append("</div><div class=\"v\">").append(esc(text))
                .append("</div><div class=\"d\">").append(change.isEmpty() ? "&#160;" : change + " vs " + previousMonth)
                .append("</div></div>");
    }

    private void cell(String column, String text, BigDecimal exact) {
        h.append("<td class=\"num\" data-col=\"").append(column).append("\" data-value=\"").append(exact.toPlainString())
                .append("\">").append(text).append("</td>");
    }

    private void legend(List<String> chartProjects) {
        h.append("<ul class=\"legend\">");
        int others = 0;
        for (int i = 0; i < chartProjects.size(); i++) {
            if (i < CHART_PROJECTS) {
                h.append("<li><span class=\"sw\" style=\"background:").append(colors.get(chartProjects.get(i))).append("\"></span>")
                        .append(esc(shorten(name(chartProjects.get(i)), 48))).append("</li>");
            } else {
                others++;
            }
        }
        if (others > 0) {
            h.append("<li><span class=\"sw\" style=\"background:").append(PALETTE.get(PALETTE.size() - 1)).append("\"></span>")
                    .append(others).append(" other projects</li>");
        }
        h.append("</ul>\n");
    }

    /** The series of a stacked chart: the first projects apart, the rest summed as "other". */
    private List<Svg.Series> byProject(List<String> chartProjects, java.util.function.BiFunction<String, String, BigDecimal> value) {
        List<Svg.Series> series = new ArrayList<>();
        for (int i = 0; i < Math.min(CHART_PROJECTS, chartProjects.size()); i++) {
            String p = chartProjects.get(i);
            series.add(new Svg.Series(name(p), colors.get(p), data.months().stream().map(m -> value.apply(p, m).doubleValue()).toList()));
        }
        if (chartProjects.size() > CHART_PROJECTS) {
            List<String> rest = chartProjects.subList(CHART_PROJECTS, chartProjects.size());
            series.add(new Svg.Series((rest.size()) + " other projects", PALETTE.get(PALETTE.size() - 1), data.months().stream()
                    .map(m -> rest.stream().map(p -> value.apply(p, m)).reduce(BigDecimal.ZERO, BigDecimal::add).doubleValue())
                    .toList()));
        }
        return series;
    }

    /**
     * A project's (null: every project's) cost in a month and currency: the sum of invoice_monthly's amounts, at the
     * currency's scale (that of its amounts) also when there is none.
     */
    private BigDecimal cost(String projectId, String m, String currency) {
        BigDecimal zero = BigDecimal.ZERO.setScale(currencyScale.getOrDefault(currency, 0));
        if (projectId != null) {
            return costByKey.getOrDefault(key(projectId, m, currency), zero);
        }
        return costsByMonth.getOrDefault(m, List.of()).stream().filter(c -> currency.equals(c.currency()))
                .map(c -> Showback.orZero(c.amount())).reduce(zero, BigDecimal::add);
    }

    /** A project's (null: every project's) usage in a month. */
    private BigDecimal usage(String projectId, String m, java.util.function.Function<Showback.MonthUsage, BigDecimal> of) {
        if (projectId != null) {
            Showback.MonthUsage u = usageByKey.get(key(projectId, m, ""));
            return u == null ? BigDecimal.ZERO : of.apply(u);
        }
        return sum(usageByMonth.getOrDefault(m, List.of()), of);
    }

    private static String key(String projectId, String m, String currency) {
        return projectId + '\u0000' + m + '\u0000' + currency;
    }

    private static BigDecimal sum(List<Showback.MonthUsage> rows, java.util.function.Function<Showback.MonthUsage, BigDecimal> of) {
        return rows.stream().map(of).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private String name(String projectId) {
        String name = names.get(projectId);
        return name == null || name.isBlank() ? projectId : name;
    }

    /** The change from {@code before} to {@code now}, in percent, as a marked-up span ("" when there is no before). */
    static String change(BigDecimal now, BigDecimal before) {
        if (before == null || before.signum() == 0) {
            return now.signum() == 0 ? "" : "<span class=\"up\">new</span>";
        }
        BigDecimal percent = now.subtract(before).multiply(BigDecimal.valueOf(100)).divide(before, 1, RoundingMode.HALF_UP);
        String sign = percent.signum() > 0 ? "+" : percent.signum() < 0 ? "−" : "±";
        return "<span class=\"" + (percent.signum() > 0 ? "up" : percent.signum() < 0 ? "down" : "same") + "\">" + sign
                + percent.abs().toPlainString() + " %</span>";
    }

    /** A quantity as shown: grouped, rounded half up to 2 decimals. */
    static String qty(BigDecimal value) {
        return String.format(Locale.ROOT, "%,.2f", value.setScale(2, RoundingMode.HALF_UP));
    }

    /** An amount as shown: grouped, at its own scale (the currency's minor units; invoice_monthly rounded it). */
    static String money(BigDecimal value) {
        return String.format(Locale.ROOT, "%,." + Math.max(0, value.scale()) + "f", value);
    }

    private static String shorten(String text, int max) {
        return text.codePointCount(0, text.length()) <= max ? text
                : text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
    }

    private static String esc(String text) {
        return InvoiceRenderer.esc(text);
    }
}
