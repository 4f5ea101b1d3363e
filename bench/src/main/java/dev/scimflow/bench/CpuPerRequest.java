package dev.scimflow.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The CPU a run cost, per process and per request, from a sample before and one after it. A part that was not the
 * same process at both samples (it restarted, or was not running) is reported as such and left out of the totals:
 * the CPU its earlier process used after the first sample is gone with it, so any figure would be wrong.
 */
final class CpuPerRequest {

    /** The name under which the benchmark's own process is sampled: the load generator. */
    static final String BENCH = "scimflow bench (load generator)";

    private CpuPerRequest() {
    }

    /**
     * @param stackParts     the stack's parts, in the order to report them (the benchmark's own process comes last)
     * @param requests       requests answered during the run: the divisor of every per-request figure
     * @param ticksPerSecond the clock ticks of {@code /proc} ({@code getconf CLK_TCK})
     */
    static BenchResults.Cpu between(CpuSample before, CpuSample after, List<String> stackParts, long requests,
                                    long ticksPerSecond, List<String> notes) {
        double seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
        List<BenchResults.ProcessCpu> rows = new ArrayList<>();
        List<String> all = new ArrayList<>(notes);
        long stackTicks = 0;
        List<String> leftOut = new ArrayList<>();
        for (String name : stackParts) {
            BenchResults.ProcessCpu row = row(name, before, after, requests, ticksPerSecond, seconds);
            rows.add(row);
            if (row.cpuSeconds() == null) {
                leftOut.add(name);
            } else {
                stackTicks += Math.round(row.cpuSeconds() * ticksPerSecond);
            }
        }
        BenchResults.ProcessCpu bench = row(BENCH, before, after, requests, ticksPerSecond, seconds);
        rows.add(bench);
        BenchResults.ProcessCpu stack = null;
        BenchResults.ProcessCpu everything = null;
        if (!stackParts.isEmpty()) {
            String name = leftOut.isEmpty() ? "stack" : "stack without " + String.join(", ", leftOut);
            stack = figures(name, null, null, stackTicks, requests, ticksPerSecond, seconds, null);
            if (!leftOut.isEmpty()) {
                all.add("not counted, because not the same process before and after the run: " + String.join(", ", leftOut)
                        + "; the stack's total is without them");
            }
            if (bench.cpuSeconds() != null) {
                everything = figures("stack and load generator", null, null, stackTicks + Math.round(bench.cpuSeconds()
                        * ticksPerSecond), requests, ticksPerSecond, seconds, null);
            }
        }
        return new BenchResults.Cpu(round(seconds), requests, ticksPerSecond, rows, stack, everything, all);
    }

    private static BenchResults.ProcessCpu row(String name, CpuSample before, CpuSample after, long requests,
                                               long ticksPerSecond, double seconds) {
        CpuSample.Part start = before.parts().get(name);
        CpuSample.Part end = after.parts().get(name);
        if (start == null || end == null) {
            Long pid = end != null ? Long.valueOf(end.pid()) : start != null ? Long.valueOf(start.pid()) : null;
            return new BenchResults.ProcessCpu(name, pid, null, null,
                    null, null, start == null ? "not running when the run started" : "not running when the run ended");
        }
        if (start.pid() != end.pid() || start.startTime() != end.startTime()) {
            return new BenchResults.ProcessCpu(name, end.pid(), end.processes(), null, null, null,
                    "restarted during the run (pid " + start.pid() + " -> " + end.pid() + "): not counted");
        }
        // never negative: a tree's CPU only grows, unless a child left it without being reaped by a member
        long ticks = Math.max(0, end.ticks() - start.ticks());
        return figures(name, end.pid(), end.processes(), ticks, requests, ticksPerSecond, seconds, null);
    }

    private static BenchResults.ProcessCpu figures(String name, Long pid, Integer processes, long ticks, long requests,
                                                   long ticksPerSecond, double seconds, String note) {
        double cpuSeconds = (double) ticks / ticksPerSecond;
        return new BenchResults.ProcessCpu(name, pid, processes, round(cpuSeconds),
                seconds > 0 ? round(cpuSeconds / seconds) : null,
                requests > 0 ? round(cpuSeconds * 1000 / requests) : null, note);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
