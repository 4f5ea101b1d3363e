package dev.scimflow.bench;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** A fixed benchmark run: operations whose latencies are known exactly, for the report and JSON tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** Latencies of 1, 2, ..., {@code count} times {@code stepMicros}. */
    static Histogram steps(int count, long stepMicros) {
        Histogram histogram = Latency.newMicrosHistogram();
        for (int i = 1; i <= count; i++) {
            histogram.recordValue(i * stepMicros);
        }
        return histogram;
    }

    /** create: 1..1000 ms, two 429s and one timeout; get: 0.01..10 ms, all 200. */
    static LoadRun.Outcome outcome() {
        Map<Operation, OperationStats> stats = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            stats.put(operation, new OperationStats(operation));
        }
        for (int i = 1; i <= 1000; i++) {
            String status = i <= 997 ? "201" : i <= 999 ? "429" : OperationStats.TIMEOUT;
            stats.get(Operation.CREATE).record(status, i * 1_000_000L);
            stats.get(Operation.GET).record("200", i * 10_000L);
        }
        return new LoadRun.Outcome(stats, 10.0, 2000, 0);
    }

    static BenchResults results() {
        BenchResults.Preload preload = new BenchResults.Preload(500, 498, 2, 7, 64, 2.5, 199.2,
                Latency.ofMicros(steps(100, 1_000)));
        BenchResults.ApplyLag lag = new BenchResults.ApplyLag(20, 19, 1, 20, Latency.ofMicros(steps(20, 2_000)),
                Latency.ofMicros(steps(19, 10_000)), Latency.ofMicros(steps(19, 5_000)));
        return new BenchResults(Instant.parse("2026-11-29T02:00:00Z"),
                new BenchResults.Machine("box <1>", 2, 4096, "Linux 6 amd64", "17.0.15", 1.5, 3.25),
                new BenchResults.Settings("http://127.0.0.1:18080/scim/v2", "rate", 200.0, null, 10, 5, "create=1,get=1", 4, 500),
                preload, Benchmark.run(outcome()), cpu(), lag, List.of("a note with <markup> & more"));
    }

    /**
     * 10 s, 2,000 requests, 100 ticks/s: postgres 300 ticks over 5 processes, the worker 500, the ingress restarted,
     * the load generator 200.
     */
    static BenchResults.Cpu cpu() {
        CpuSample before = new CpuSample(0, parts(
                new CpuSample.Part("postgres", 100, 7, 5, 1_000), new CpuSample.Part("provisioning-worker", 200, 8, 1, 2_000),
                new CpuSample.Part("scim-ingress", 300, 9, 1, 3_000), new CpuSample.Part(CpuPerRequest.BENCH, 400, 10, 1, 50)));
        CpuSample after = new CpuSample(10_000_000_000L, parts(
                new CpuSample.Part("postgres", 100, 7, 5, 1_300), new CpuSample.Part("provisioning-worker", 200, 8, 1, 2_500),
                new CpuSample.Part("scim-ingress", 301, 90, 1, 100), new CpuSample.Part(CpuPerRequest.BENCH, 400, 10, 1, 250)));
        return CpuPerRequest.between(before, after, List.of("postgres", "provisioning-worker", "scim-ingress"), 2_000, 100,
                List.of());
    }

    static Map<String, CpuSample.Part> parts(CpuSample.Part... parts) {
        Map<String, CpuSample.Part> map = new java.util.LinkedHashMap<>();
        for (CpuSample.Part part : parts) {
            map.put(part.name(), part);
        }
        return map;
    }
}
