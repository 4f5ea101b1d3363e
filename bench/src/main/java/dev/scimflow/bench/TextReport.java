package dev.scimflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The table {@code scimflow bench} prints on stdout. */
public final class TextReport {

    private static final String[] HEADER = {"operation", "count", "req/s", "errors", "p50 ms", "p90 ms", "p99 ms",
            "p99.9 ms", "max ms", "statuses"};
    private static final String[] CPU_HEADER = {"process", "pid", "procs", "cpu s", "cores", "cpu ms/request", ""};

    private TextReport() {
    }

    public static String render(BenchResults results) {
        StringBuilder out = new StringBuilder();
        BenchResults.Settings settings = results.settings();
        out.append("scimflow bench ").append(results.startedAt()).append(" against ").append(settings.scimBaseUrl()).append('\n');
        out.append("load: ").append(loadDescription(settings)).append(", mix ").append(settings.mix())
                .append(", ").append(settings.tenants()).append(settings.tenants() == 1 ? " tenant" : " tenants").append('\n');
        BenchResults.Machine machine = results.machine();
        out.append("machine: ").append(machine.cores()).append(" cores, ").append(machine.os()).append(", Java ")
                .append(machine.java())
                .append(String.format(Locale.ROOT, ", load average %.2f at start, %.2f at end%n", machine.loadAverageAtStart(),
                        machine.loadAverageAtEnd()));
        BenchResults.Preload preload = results.preload();
        if (preload != null && preload.requested() > 0) {
            out.append(String.format(Locale.ROOT, "preload: %d users created in %.1f s = %.1f creates/s (%d in flight,"
                    + " %d errors, %d retried after 429), create p50 %s ms p99 %s ms%n",
                    preload.created(), preload.seconds(), preload.createsPerSecond(), preload.concurrency(),
                    preload.errors(), preload.retriedAfter429(), number(preload.latencyMs().p50()),
                    number(preload.latencyMs().p99())));
        }
        BenchResults.Run run = results.run();
        if (run != null) {
            out.append(String.format(Locale.ROOT, "run: %.1f s, %d requests sent%s%n", run.seconds(), run.sent(),
                    run.unfinished() > 0 ? ", " + run.unfinished() + " unfinished at the end" : ""));
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADER);
            run.operations().forEach(operation -> rows.add(row(operation)));
            rows.add(row(run.total()));
            out.append(table(rows, Set.of(0, HEADER.length - 1), rows.size() - 1));
        }
        cpu(out, results.cpu());
        BenchResults.ApplyLag lag = results.applyLag();
        if (lag != null) {
            out.append(String.format(Locale.ROOT, "apply lag (%d deactivations sampled, %d seen in the audit log, %d missed):%n",
                    lag.sampled(), lag.seen(), lag.missed()));
            out.append(lagLine("accept -> applied (PATCH 2xx)", lag.acceptToAppliedMs()));
            out.append(lagLine("2xx -> listed by audit API (poll " + lag.pollMillis() + " ms)", lag.acceptToAuditMs()));
            out.append(lagLine("audit changedAt -> recordedAt", lag.changedToRecordedMs()));
        }
        results.notes().forEach(note -> out.append("note: ").append(note).append('\n'));
        return out.toString();
    }

    static void cpu(StringBuilder out, BenchResults.Cpu cpu) {
        if (cpu == null) {
            return;
        }
        out.append(String.format(Locale.ROOT, "cpu during the run (from /proc, %s s, %d requests answered):%n",
                number(cpu.seconds()), cpu.requests()));
        List<String[]> rows = new ArrayList<>();
        rows.add(CPU_HEADER);
        List<BenchResults.ProcessCpu> processes = cpu.processes();
        processes.subList(0, processes.size() - 1).forEach(process -> rows.add(cpuRow(process)));
        int totals = rows.size();
        if (cpu.stack() != null) {
            rows.add(cpuRow(cpu.stack()));
        }
        rows.add(cpuRow(processes.get(processes.size() - 1)));
        if (cpu.all() != null) {
            rows.add(cpuRow(cpu.all()));
        }
        table(rows, Set.of(0, CPU_HEADER.length - 1), totals).lines().forEach(line -> out.append("  ").append(line).append('\n'));
        cpu.notes().forEach(note -> out.append("  note: ").append(note).append('\n'));
    }

    private static String[] cpuRow(BenchResults.ProcessCpu process) {
        return new String[]{process.name(), process.pid() == null ? "" : Long.toString(process.pid()),
                process.processes() == null ? "" : Integer.toString(process.processes()), orDash(process.cpuSeconds()),
                orDash(process.cores()), orDash(process.msPerRequest()), process.note() == null ? "" : process.note()};
    }

    static String orDash(Double value) {
        return value == null ? "-" : number(value);
    }

    static String loadDescription(BenchResults.Settings settings) {
        String pace = "rate".equals(settings.mode())
                ? "open loop at " + number(settings.rate()) + " req/s"
                : "closed loop, " + settings.concurrency() + " in flight";
        return pace + " for " + number(settings.durationSeconds()) + " s"
                + (settings.warmUpSeconds() > 0 ? ", after " + number(settings.warmUpSeconds()) + " s of the same load unmeasured" : "");
    }

    private static String lagLine(String what, Latency latency) {
        if (latency == null || latency.samples() == 0) {
            return "  " + what + ": no samples\n";
        }
        return String.format(Locale.ROOT, "  %-48s p50 %s  p90 %s  p99 %s  max %s ms (n=%d)%n", what,
                number(latency.p50()), number(latency.p90()), number(latency.p99()), number(latency.max()), latency.samples());
    }

    private static String[] row(BenchResults.OperationResult operation) {
        Latency latency = operation.latencyMs();
        return new String[]{operation.operation(), Long.toString(operation.count()), number(operation.throughputPerSecond()),
                Long.toString(operation.errors()), number(latency.p50()), number(latency.p90()), number(latency.p99()),
                number(latency.p999()), number(latency.max()), statuses(operation.statuses())};
    }

    static String statuses(Map<String, Long> statuses) {
        return statuses.entrySet().stream().map(entry -> entry.getKey() + ":" + entry.getValue())
                .collect(Collectors.joining(" "));
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }

    /** Columns padded to their widest cell; a rule under the header and one above row {@code ruleBefore}. */
    private static String table(List<String[]> rows, Set<Integer> leftAligned, int ruleBefore) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean left = leftAligned.contains(i);
                // a column that is empty in every row (no CPU notes) has width 0, which Formatter refuses
                line.append(i == 0 ? "" : "  ").append(widths[i] == 0
                        ? ""
                        : String.format("%" + (left ? "-" : "") + widths[i] + "s", row[i]));
            }
            lines.add(line.toString().stripTrailing());
        }
        String rule = "-".repeat(lines.stream().mapToInt(String::length).max().orElse(0));
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < lines.size(); r++) {
            if (r == ruleBefore && r > 1) {
                out.append(rule).append('\n');
            }
            out.append(lines.get(r)).append('\n');
            if (r == 0) {
                out.append(rule).append('\n');
            }
        }
        return out.toString();
    }
}
