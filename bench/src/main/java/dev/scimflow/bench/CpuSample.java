package dev.scimflow.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time used so far by each part of a stack (a process with everything it started: PostgreSQL's postmaster
 * with its backends and helpers) and by the benchmark itself, at one moment. Two samples, before and after a run,
 * give the CPU the run cost ({@link CpuPerRequest}).
 */
record CpuSample(long nanoTime, Map<String, Part> parts) {

    /**
     * A part as it ran at that moment: its main process ({@code pid}, {@code startTime} in clock ticks since boot) and
     * the number of processes in its tree; {@code ticks} is the CPU time of the whole tree, including children that
     * exited and were reaped.
     */
    record Part(String name, long pid, long startTime, int processes, long ticks) {
    }

    CpuSample {
        parts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parts));
    }

    /** Each named process tree of {@code roots} that is running in {@code table}; the others are left out. */
    static CpuSample take(ProcessTable table, Map<String, Long> roots, long nanoTime) {
        Map<String, Part> parts = new LinkedHashMap<>();
        roots.forEach((name, pid) -> {
            List<ProcessTable.Stat> tree = table.tree(pid);
            if (!tree.isEmpty()) {
                parts.put(name, new Part(name, pid, tree.get(0).startTime(), tree.size(),
                        tree.stream().mapToLong(ProcessTable.Stat::ticks).sum()));
            }
        });
        return new CpuSample(nanoTime, parts);
    }
}
