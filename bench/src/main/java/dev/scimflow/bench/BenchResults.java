package dev.scimflow.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Everything one {@code scimflow bench} run measured: the content of {@code results.json} and of both reports. */
public record BenchResults(Instant startedAt, Machine machine, Settings settings, Preload preload, Run run, Cpu cpu,
                           ApplyLag applyLag, List<String> notes) {

    public BenchResults {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /**
     * Where the load generator ran: on a single box it shares the cores with the stack it measures. The load
     * averages ({@code /proc/loadavg}, 1 minute; -1 where unknown) show whether anything else competed for them.
     */
    public record Machine(String host, int cores, long maxMemoryMb, String os, String java, double loadAverageAtStart,
                          double loadAverageAtEnd) {
    }

    /**
     * How the load was driven: {@code mode} is {@code rate} (open loop at {@code rate} requests/s, latency measured
     * from each request's intended send time) or {@code concurrency} (closed loop, {@code concurrency} requests in
     * flight, latency measured from the actual send); {@code warmUpSeconds} of the same load ran before it, unmeasured.
     */
    public record Settings(String scimBaseUrl, String mode, Double rate, Integer concurrency, double durationSeconds,
                           double warmUpSeconds, String mix, int tenants, long preloadUsers) {
    }

    /** The users created before the measured run, {@code concurrency} at a time. */
    public record Preload(long requested, long created, long errors, long retriedAfter429, int concurrency,
                          double seconds, double createsPerSecond, Latency latencyMs) {
    }

    /** The measured run: per operation, then all operations together. */
    public record Run(double seconds, long sent, long unfinished, List<OperationResult> operations, OperationResult total) {
    }

    /**
     * One operation's figures. {@code statuses} counts every outcome: an HTTP status, or {@code timeout} /
     * {@code io} when no response came; {@code errors} counts the outcomes other than 2xx.
     */
    public record OperationResult(String operation, String request, long count, long errors, double throughputPerSecond,
                                  Map<String, Long> statuses, Latency latencyMs) {
    }

    /**
     * The CPU time the measured run cost, from {@code /proc} before and after it ({@code seconds} apart): per process of
     * the stack (PostgreSQL counts its postmaster and every backend and helper process), for the stack in all, for the
     * load generator, and everything together; {@code msPerRequest} divides by the {@code requests} answered in the
     * run. {@code ticksPerSecond} is the unit {@code /proc} counts in. Null when {@code /proc} is not there.
     */
    public record Cpu(double seconds, long requests, long ticksPerSecond, List<ProcessCpu> processes, ProcessCpu stack,
                      ProcessCpu all, List<String> notes) {

        public Cpu {
            processes = processes == null ? List.of() : List.copyOf(processes);
            notes = notes == null ? List.of() : List.copyOf(notes);
        }
    }

    /**
     * One process (with its children) or a total: CPU seconds used during the run, the cores that is on average
     * ({@code cpuSeconds / seconds}) and the CPU milliseconds per request. The figures are null, with a {@code note},
     * when the process was not the same one before and after the run (it restarted).
     */
    public record ProcessCpu(String name, Long pid, Integer processes, Double cpuSeconds, Double cores,
                             Double msPerRequest, String note) {
    }

    /**
     * End-to-end lag of a sample of deactivations. {@code acceptToAppliedMs} is the PATCH's response time, since the
     * ingress answers only after the worker committed; {@code acceptToAuditMs} runs from that 2xx to the deactivation
     * being listed by the audit service (polled every {@code pollMillis}); {@code changedToRecordedMs} is the
     * audit record's own {@code recordedAt - changedAt}.
     */
    public record ApplyLag(long sampled, long seen, long missed, long pollMillis, Latency acceptToAppliedMs,
                           Latency acceptToAuditMs, Latency changedToRecordedMs) {
    }
}
