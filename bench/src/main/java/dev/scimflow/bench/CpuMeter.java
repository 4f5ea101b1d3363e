package dev.scimflow.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import java.util.function.Supplier;

/**
 * Samples the CPU time of every process of a local stack, as its {@code stack.json} lists them (PostgreSQL's
 * postmaster with all its backends and helper processes, the broker, each service), and of the benchmark itself, from
 * {@code /proc}. A stack elsewhere (given by {@code --url}) cannot be seen this way: only the benchmark is sampled then.
 */
final class CpuMeter {

    private static final Path PROC = Path.of("/proc");

    private final Supplier<Map<String, Long>> stack;
    private final List<String> notes = new ArrayList<>();
    private final List<String> parts = new ArrayList<>();

    /**
     * @param stack the processes of the local stack under load, by name, as its {@code stack.json} lists them now
     *            (read again at each sample); null when the stack is remote
     */
    CpuMeter(Supplier<Map<String, Long>> stack, String remoteReason) {
        this.stack = stack;
        if (stack == null) {
            notes.add("per-process CPU of the stack not measured: " + remoteReason + "; /proc shows only this machine's"
                    + " processes (the load generator's CPU is shown)");
        }
    }

    Optional<CpuSample> sample() {
        Optional<ProcessTable> table = ProcessTable.read(PROC);
        if (table.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Long> roots = new LinkedHashMap<>();
        if (stack != null) {
            stack.get().forEach((name, pid) -> {
                roots.put(name, pid);
                if (!parts.contains(name)) {
                    parts.add(name);
                }
            });
        }
        roots.put(CpuPerRequest.BENCH, ProcessHandle.current().pid());
        return Optional.of(CpuSample.take(table.get(), roots, System.nanoTime()));
    }

    /** The run's CPU per request, from samples taken just before and just after it; null where /proc is missing. */
    BenchResults.Cpu between(Optional<CpuSample> before, Optional<CpuSample> after, long requests) {
        if (before.isEmpty() || after.isEmpty()) {
            return null;
        }
        return CpuPerRequest.between(before.get(), after.get(), parts, requests, ticksPerSecond(), notes);
    }

    /** {@code getconf CLK_TCK}: the unit of the CPU times in {@code /proc}; 100 on every common Linux. */
    static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // no getconf: Linux's USER_HZ below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
