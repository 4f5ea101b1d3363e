package dev.scimflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html}: a self-contained page (inline CSS and SVG, no script, nothing fetched) with the run's table,
 * latency bars per operation and the percentile curves of all operations.
 */
public final class HtmlReport {

    static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22"};

    private static final int WIDTH = 760;
    private static final int HEIGHT = 360;
    private static final int LEFT = 60;
    private static final int RIGHT = 150;
    private static final int TOP = 20;
    private static final int BOTTOM = 40;
    private static final double MAX_NINES = 4.3;

    private HtmlReport() {
    }

    public static String render(BenchResults results) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>scimflow bench ")
                .append(escape(String.valueOf(results.startedAt()))).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}\n")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}\n")
                .append("td:first-child,th:first-child,td.l,th.l{text-align:left}th{background:#f3f3f3}\n")
                .append(".bar{height:12px;display:inline-block;vertical-align:middle}.bars td{border:none;padding:2px 6px}\n")
                .append(".err{color:#b00020}.muted{color:#666}\n</style></head><body>\n");
        BenchResults.Settings settings = results.settings();
        BenchResults.Machine machine = results.machine();
        html.append("<h1>scimflow bench</h1>\n<p>").append(escape(String.valueOf(results.startedAt()))).append(" against <code>")
                .append(escape(settings.scimBaseUrl())).append("</code><br>load: ").append(escape(TextReport.loadDescription(settings)))
                .append(", mix <code>").append(escape(settings.mix())).append("</code>, ").append(settings.tenants())
                .append(settings.tenants() == 1 ? " tenant" : " tenants").append("<br>machine: ").append(escape(machine.host()))
                .append(", ").append(machine.cores()).append(" cores, ").append(escape(machine.os())).append(", Java ")
                .append(escape(machine.java()))
                .append(String.format(Locale.ROOT, ", load average %.2f at start, %.2f at end", machine.loadAverageAtStart(),
                        machine.loadAverageAtEnd()))
                .append("</p>\n");
        preload(html, results.preload());
        BenchResults.Run run = results.run();
        if (run != null) {
            html.append(String.format(Locale.ROOT, "<h2>Run</h2>\n<p>%.1f s, %d requests sent%s. Latency is measured from"
                    + " each request's %s.</p>\n", run.seconds(), run.sent(),
                    run.unfinished() > 0 ? ", " + run.unfinished() + " unfinished at the end" : "",
                    "rate".equals(settings.mode()) ? "intended send time (open loop, free of coordinated omission)" : "send time"));
            operationsTable(html, run);
            bars(html, run.operations());
            html.append("<h2>Percentile curves</h2>\n").append(curves(run.operations()));
        }
        cpu(html, results.cpu());
        lag(html, results.applyLag());
        if (!results.notes().isEmpty()) {
            html.append("<h2>Notes</h2>\n<ul>\n");
            results.notes().forEach(note -> html.append("<li>").append(escape(note)).append("</li>\n"));
            html.append("</ul>\n");
        }
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void preload(StringBuilder html, BenchResults.Preload preload) {
        if (preload == null || preload.requested() == 0) {
            return;
        }
        html.append("<h2>Preload</h2>\n").append(String.format(Locale.ROOT, "<p>%d users created in %.1f s: <b>%s creates/s</b>"
                + " with %d in flight; %d errors, %d retried after 429; create p50 %s ms, p99 %s ms, max %s ms.</p>\n",
                preload.created(), preload.seconds(), TextReport.number(preload.createsPerSecond()), preload.concurrency(),
                preload.errors(), preload.retriedAfter429(), TextReport.number(preload.latencyMs().p50()),
                TextReport.number(preload.latencyMs().p99()), TextReport.number(preload.latencyMs().max())));
    }

    private static void operationsTable(StringBuilder html, BenchResults.Run run) {
        html.append("<table>\n<tr><th>operation</th><th>request</th><th>count</th><th>req/s</th><th>errors</th><th>p50 ms</th>"
                + "<th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th><th class=\"l\">statuses</th></tr>\n");
        List<BenchResults.OperationResult> rows = new ArrayList<>(run.operations());
        rows.add(run.total());
        for (BenchResults.OperationResult operation : rows) {
            Latency latency = operation.latencyMs();
            html.append("<tr><td>").append(escape(operation.operation())).append("</td><td class=\"l\"><code>")
                    .append(escape(operation.request())).append("</code></td><td>").append(operation.count()).append("</td><td>")
                    .append(TextReport.number(operation.throughputPerSecond())).append("</td><td")
                    .append(operation.errors() > 0 ? " class=\"err\"" : "").append('>').append(operation.errors()).append("</td>");
            for (double value : new double[]{latency.p50(), latency.p90(), latency.p99(), latency.p999(), latency.max()}) {
                html.append("<td>").append(TextReport.number(value)).append("</td>");
            }
            html.append("<td class=\"l\">").append(escape(TextReport.statuses(operation.statuses()))).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void bars(StringBuilder html, List<BenchResults.OperationResult> operations) {
        double scale = operations.stream().mapToDouble(operation -> operation.latencyMs().p999()).max().orElse(0);
        if (scale <= 0) {
            return;
        }
        html.append("<h2>Latency by operation</h2>\n<p class=\"muted\">bars to scale, longest = ")
                .append(TextReport.number(scale)).append(" ms (the largest p99.9)</p>\n<table class=\"bars\">\n");
        String[] labels = {"p50", "p90", "p99", "p99.9"};
        String[] shades = {"#9ecae1", "#4292c6", "#08519c", "#08306b"};
        for (BenchResults.OperationResult operation : operations) {
            Latency latency = operation.latencyMs();
            double[] values = {latency.p50(), latency.p90(), latency.p99(), latency.p999()};
            for (int i = 0; i < values.length; i++) {
                html.append("<tr><td>").append(i == 0 ? escape(operation.operation()) : "").append("</td><td>").append(labels[i])
                        .append("</td><td class=\"l\"><span class=\"bar\" style=\"width:")
                        .append(String.format(Locale.ROOT, "%.1f", Math.max(0.2, 600 * values[i] / scale)))
                        .append("px;background:").append(shades[i]).append("\"></span> ").append(TextReport.number(values[i]))
                        .append(" ms</td></tr>\n");
            }
        }
        html.append("</table>\n");
    }

    /** Latency (log scale) against percentile, spread by nines: 90, 99, 99.9 and 99.99 equally apart. */
    static String curves(List<BenchResults.OperationResult> operations) {
        double top = operations.stream().mapToDouble(operation -> operation.latencyMs().max()).max().orElse(1);
        double bottom = operations.stream().flatMap(operation -> operation.latencyMs().curve().stream())
                .mapToDouble(Latency.Point::ms).filter(ms -> ms > 0).min().orElse(0.1);
        double logBottom = Math.floor(Math.log10(Math.max(bottom, 0.01)));
        double logTop = Math.max(Math.ceil(Math.log10(Math.max(top, 0.01))), logBottom + 1);
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotWidth)
                .append("\" height=\"").append(plotHeight).append("\" fill=\"none\" stroke=\"#999\"/>\n");
        for (double decade = logBottom; decade <= logTop; decade++) {
            double y = TOP + plotHeight * (1 - (decade - logBottom) / (logTop - logBottom));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>\n", LEFT, LEFT + plotWidth, y, y,
                    LEFT - 4, y + 4, TextReport.number(Math.pow(10, decade))));
        }
        String[] ticks = {"0", "90", "99", "99.9", "99.99"};
        for (int nines = 0; nines < ticks.length; nines++) {
            double x = LEFT + plotWidth * nines / MAX_NINES;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">p%s</text>\n", x, x, TOP, TOP + plotHeight, x,
                    TOP + plotHeight + 16, ticks[nines]));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">max</text>\n",
                (double) LEFT + plotWidth, TOP + plotHeight + 16));
        for (int i = 0; i < operations.size(); i++) {
            BenchResults.OperationResult operation = operations.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (Latency.Point point : operation.latencyMs().curve()) {
                double x = LEFT + plotWidth * nines(point.percentile()) / MAX_NINES;
                double logValue = Math.log10(Math.max(point.ms(), Math.pow(10, logBottom)));
                double y = TOP + plotHeight * (1 - (logValue - logBottom) / (logTop - logBottom));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"")
                    .append(points.toString().strip()).append("\"><title>").append(escape(operation.operation()))
                    .append("</title></polyline>\n");
            int legendY = TOP + 14 + 16 * i;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>\n", LEFT + plotWidth + 10, LEFT + plotWidth + 28, legendY - 4,
                    legendY - 4, colour, LEFT + plotWidth + 32, legendY, escape(operation.operation())));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Where a percentile sits on the curve's x axis: 0 for p0, 1 for p90, 2 for p99, ...; the maximum last. */
    static double nines(double percentile) {
        if (percentile >= 100) {
            return MAX_NINES;
        }
        return Math.min(Math.log10(100 / (100 - percentile)), 4.0);
    }

    private static void cpu(StringBuilder html, BenchResults.Cpu cpu) {
        if (cpu == null) {
            return;
        }
        html.append("<h2>CPU per request</h2>\n").append(String.format(Locale.ROOT, "<p>CPU time from <code>/proc</code>"
                + " before and after the run (%s s apart), divided by the %d requests answered in it. PostgreSQL counts its"
                + " postmaster and every backend and helper process; <i>cores</i> is CPU seconds per second.</p>%n",
                TextReport.number(cpu.seconds()), cpu.requests()));
        html.append("<table>\n<tr><th>process</th><th>pid</th><th>processes</th><th>CPU s</th><th>cores</th>"
                + "<th>CPU ms / request</th><th class=\"l\">note</th></tr>\n");
        List<BenchResults.ProcessCpu> processes = cpu.processes();
        processes.subList(0, processes.size() - 1).forEach(process -> cpuRow(html, process, false));
        if (cpu.stack() != null) {
            cpuRow(html, cpu.stack(), true);
        }
        cpuRow(html, processes.get(processes.size() - 1), false);
        if (cpu.all() != null) {
            cpuRow(html, cpu.all(), true);
        }
        html.append("</table>\n");
        if (!cpu.notes().isEmpty()) {
            html.append("<ul>\n");
            cpu.notes().forEach(note -> html.append("<li>").append(escape(note)).append("</li>\n"));
            html.append("</ul>\n");
        }
    }

    private static void cpuRow(StringBuilder html, BenchResults.ProcessCpu process, boolean total) {
        String cell = total ? "th" : "td";
        html.append("<tr><").append(cell).append(" class=\"l\">").append(escape(process.name())).append("</").append(cell).append('>');
        for (String value : new String[]{process.pid() == null ? "" : Long.toString(process.pid()),
                process.processes() == null ? "" : Integer.toString(process.processes()), TextReport.orDash(process.cpuSeconds()),
                TextReport.orDash(process.cores()), TextReport.orDash(process.msPerRequest())}) {
            html.append('<').append(cell).append('>').append(value).append("</").append(cell).append('>');
        }
        html.append("<td class=\"l\">").append(escape(process.note() == null ? "" : process.note())).append("</td></tr>\n");
    }

    private static void lag(StringBuilder html, BenchResults.ApplyLag lag) {
        if (lag == null) {
            return;
        }
        html.append("<h2>Apply lag</h2>\n").append(String.format(Locale.ROOT, "<p>%d deactivations sampled, %d seen in the"
                + " audit log, %d missed. The ingress answers only after the worker committed, so the PATCH's 2xx time is"
                + " accept&rarr;applied.</p>\n", lag.sampled(), lag.seen(), lag.missed()));
        html.append("<table>\n<tr><th>interval</th><th>n</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th></tr>\n");
        lagRow(html, "accept &rarr; applied (PATCH 2xx)", lag.acceptToAppliedMs());
        lagRow(html, "2xx &rarr; listed by the audit API (polled every " + lag.pollMillis() + " ms)", lag.acceptToAuditMs());
        lagRow(html, "audit record changedAt &rarr; recordedAt", lag.changedToRecordedMs());
        html.append("</table>\n");
    }

    private static void lagRow(StringBuilder html, String label, Latency latency) {
        Latency shown = latency == null ? Latency.ofMicros(Latency.newMicrosHistogram()) : latency;
        html.append("<tr><td>").append(label).append("</td><td>").append(shown.samples()).append("</td>");
        for (double value : new double[]{shown.p50(), shown.p90(), shown.p99(), shown.max()}) {
            html.append("<td>").append(TextReport.number(value)).append("</td>");
        }
        html.append("</tr>\n");
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
