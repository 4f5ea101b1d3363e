package dev.scimflow.bench;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The per-process CPU table of {@code scimflow bench}, for other measurements of a local stack
 * ({@code scimflow events bench}): {@link #start} samples every process of the stack and the caller's own JVM, and
 * {@link #table} samples them again and prints what each used in between, per request answered.
 */
public final class CpuTable {

    private final CpuMeter meter;
    private final Optional<CpuSample> before;

    private CpuTable(CpuMeter meter) {
        this.meter = meter;
        this.before = meter.sample();
    }

    /** @param stack the processes of the local stack by name, as its {@code stack.json} lists them now */
    public static CpuTable start(Supplier<Map<String, Long>> stack) {
        return new CpuTable(new CpuMeter(stack, null));
    }

    /** The table since {@link #start}, with {@code requests} as the divisor of each process's CPU; empty without /proc. */
    public String table(long requests) {
        StringBuilder out = new StringBuilder();
        TextReport.cpu(out, meter.between(before, meter.sample(), requests));
        return out.toString();
    }
}
