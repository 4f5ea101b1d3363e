package dev.scimflow.bench;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One run of {@code scimflow bench} against a stack already found (the command resolves {@code --data-dir} or
 * {@code --url}): the benchmark group of each tenant, the preload, the measured run with the deactivation → audit lag
 * and the stack's CPU, then the table on stdout and {@code results.json} and {@code report.html} in the output
 * directory.
 */
public final class Benchmark {

    /**
     * What the command was asked to do. {@code rate} null: closed loop with {@code inFlight} requests in flight; else
     * open loop with at most {@code inFlight} outstanding. {@code out} null: {@code bench-results/<timestamp>}.
     */
    public record Settings(OperationMix operations, Double rate, int inFlight, int preloadConcurrency, long users,
                           Duration warmUp, Duration runLength, Duration requestTimeout, int bulkSize, int lagSamples, Duration lagPoll,
                           Path out) {
    }

    /**
     * The stack under load. {@code localStack}: the processes of the stack by name (its {@code stack.json}, read at each
     * sample) when it runs on this machine, else null; {@code auditUrl} and {@code operatorToken} may be null (no lag).
     */
    public record Target(String scimBaseUrl, String auditUrl, String operatorToken, List<Tenant> tenants,
                         Supplier<Map<String, Long>> localStack) {
    }

    private final Settings settings;
    private final Consumer<String> progress;
    private final Instant startedAt = Instant.now();
    private final double loadAtStart = loadAverage();
    private final String runId;

    public Benchmark(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
        byte[] id = new byte[3];
        ThreadLocalRandom.current().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
    }

    /** Six hex digits naming this run, e.g. in the names of the tenants it creates ({@code bench-<run>-1..N}). */
    public String runId() {
        return runId;
    }

    /** Runs the benchmark against the target, prints the table to {@code out}, and writes the files. */
    public void run(Target target, PrintWriter out) throws Exception {
        Path outDir = settings.out() != null
                ? settings.out()
                : Path.of("bench-results",
                        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(startedAt));
        ScimClient client = ScimClient.start(target.scimBaseUrl(), settings.requestTimeout(),
                Math.max(settings.inFlight(), settings.preloadConcurrency()), "bench-" + runId);
        try {
            measure(client, target, out, outDir);
        } finally {
            client.stop();
        }
    }

    private void measure(ScimClient client, Target target, PrintWriter out, Path outDir) throws Exception {
        OperationMix operations = settings.operations();
        Duration requestTimeout = settings.requestTimeout();
        Duration runLength = settings.runLength();
        Double rate = settings.rate();
        int inFlight = settings.inFlight();
        long users = settings.users();
        Workload workload = new Workload(client, target.tenants(), runId, settings.bulkSize());
        List<String> notes = new ArrayList<>();

        if (operations.includes(Operation.MEMBERS)) {
            for (Tenant tenant : target.tenants()) {
                ScimClient.Reply reply = workload.createGroup(tenant).get(requestTimeout.toSeconds() + 5, TimeUnit.SECONDS);
                if (!reply.ok()) {
                    throw new BenchError("cannot create the benchmark group of tenant '" + tenant.name + "': "
                            + reply.outcome() + " " + (reply.body() == null ? "" : reply.body()));
                }
            }
        }
        checkReachable(client, target);

        BenchResults.Preload preload = null;
        if (users > 0) {
            progress.accept("preloading " + users + " users over " + target.tenants().size() + " tenant(s), "
                    + settings.preloadConcurrency() + " in flight");
            preload = new Preload(workload, target.tenants(), settings.preloadConcurrency(), progress).run(users);
            progress.accept(String.format(Locale.ROOT, "preloaded %d users in %.1f s: %.1f creates/s", preload.created(),
                    preload.seconds(), preload.createsPerSecond()));
        }

        AuditLag lag = null;
        if (settings.lagSamples() > 0 && operations.includes(Operation.DEACTIVATE)) {
            if (target.auditUrl() == null || target.operatorToken() == null) {
                notes.add("apply lag to the audit log not measured: no audit URL or operator token (--audit-url, --operator-token)");
            } else {
                lag = new AuditLag(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), target.auditUrl(),
                        target.operatorToken(), settings.lagSamples(), 16, settings.lagPoll(), Duration.ofSeconds(30));
            }
        }
        String pace = rate != null ? "open loop at " + rate + " req/s" : "closed loop with " + inFlight + " in flight";
        if (!settings.warmUp().isZero()) {
            progress.accept("warming up: " + operations + " for " + settings.warmUp().toSeconds() + " s, " + pace + ", unmeasured");
            notes.add(warmUpNote(new LoadRun(workload, operations, rate, inFlight, settings.warmUp(), requestTimeout.plusSeconds(5),
                    null, progress).run()));
        }
        progress.accept("running " + operations + " for " + runLength.toSeconds() + " s, " + pace);
        CpuMeter cpu = target.localStack() != null
                ? new CpuMeter(target.localStack(), null)
                : new CpuMeter(null, "the stack under load is not one running from --data-dir on this machine (--url)");
        var cpuBefore = cpu.sample();
        LoadRun.Outcome outcome = new LoadRun(workload, operations, rate, inFlight, runLength, requestTimeout.plusSeconds(5),
                lag, progress).run();
        var cpuAfter = cpu.sample();
        BenchResults.ApplyLag applyLag = lag != null ? lag.finish(Duration.ofSeconds(35)) : null;
        BenchResults.Run run = run(outcome);
        if (cpuBefore.isEmpty()) {
            notes.add("CPU per request not measured: no /proc on this machine");
        }
        if (operations.includes(Operation.BULK)) {
            long[] bulk = workload.bulkOperations();
            notes.add(String.format(Locale.ROOT, "bulk: %d users created by bulk requests of %d creates in %.1f s: %.1f creates/s"
                    + " (%d operations not created; a bulk with any counts as status 207 above)", bulk[0], settings.bulkSize(),
                    outcome.seconds(), bulk[0] / outcome.seconds(), bulk[1]));
        }

        BenchResults results = new BenchResults(startedAt, machine(loadAtStart, loadAverage()),
                new BenchResults.Settings(target.scimBaseUrl(),
                        rate != null ? "rate" : "concurrency", rate, rate != null ? null : inFlight, runLength.toMillis() / 1000.0,
                        settings.warmUp().toMillis() / 1000.0,
                        operations.toString(), target.tenants().size(), users),
                preload,
                run, cpu.between(cpuBefore, cpuAfter, run.total().count()), applyLag, notes(notes, target, outcome));
        Files.createDirectories(outDir);
        BenchJson.write(outDir.resolve("results.json"), results);
        Files.writeString(outDir.resolve("report.html"), HtmlReport.render(results));
        out.print(TextReport.render(results));
        out.flush();
        progress.accept("wrote " + outDir.resolve("results.json") + " and " + outDir.resolve("report.html"));
    }

    /**
     * What the warm-up came to, for the notes: the load generator's JVM starts cold with every run, and on a small machine
     * its JIT compiler competes with the stack for the first seconds of the measured run unless something ran before.
     */
    static String warmUpNote(LoadRun.Outcome warmUp) {
        BenchResults.OperationResult total = run(warmUp).total();
        return String.format(Locale.ROOT, "warm-up (not counted above): %d requests in %.1f s, %.1f/s, %d errors%s", total.count(),
                warmUp.seconds(), total.throughputPerSecond(), total.errors(),
                warmUp.unfinished() > 0 ? ", " + warmUp.unfinished() + " unanswered when the measured run began" : "");
    }

    /** The run's figures: the operations that were sent, in the order of {@link Operation}, then all together. */
    static BenchResults.Run run(LoadRun.Outcome outcome) {
        List<BenchResults.OperationResult> rows = new ArrayList<>();
        org.HdrHistogram.Histogram all = Latency.newMicrosHistogram();
        Map<String, Long> allStatuses = new java.util.TreeMap<>();
        for (OperationStats stats : outcome.stats().values()) {
            BenchResults.OperationResult result = stats.result(outcome.seconds());
            if (result.count() == 0) {
                continue;
            }
            rows.add(result);
            all.add(stats.histogram());
            result.statuses().forEach((status, count) -> allStatuses.merge(status, count, Long::sum));
        }
        BenchResults.OperationResult total = OperationStats.result("all", "", all, allStatuses, outcome.seconds());
        return new BenchResults.Run(Math.round(outcome.seconds() * 100.0) / 100.0, outcome.sent(), outcome.unfinished(),
                rows, total);
    }

    private static List<String> notes(List<String> notes, Target target, LoadRun.Outcome outcome) {
        List<String> all = new ArrayList<>(notes);
        String host = URI.create(target.scimBaseUrl()).getHost();
        if ("127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host)) {
            all.add("the load generator ran on the same machine as the stack it measured, sharing its "
                    + Runtime.getRuntime().availableProcessors() + " cores");
        }
        for (OperationStats stats : outcome.stats().values()) {
            stats.failedRequestIds().forEach((failure, ids) -> all.add(stats.operation().key() + " " + failure + ": request ids "
                    + String.join(", ", ids) + (stats.outcomes().get(failure) > ids.size() ? ", ..." : "")
                    + " (X-Request-Id; a request the stack answered is in its request log, GET /api/v1/requests?requestId=...,"
                    + " while the log keeps it: the newest 10,000 of a tenant unless SCIMFLOW_AUDIT_REQUEST_LOG_MAX_PER_TENANT says"
                    + " otherwise, pruned every 5 minutes)"));
            if (stats.unchanged() > 0) {
                long answered = stats.outcomes().entrySet().stream().filter(entry -> OperationStats.isSuccess(entry.getKey()))
                        .mapToLong(Map.Entry::getValue).sum();
                all.add(String.format(Locale.ROOT, "%s: %d of the %d answered were sent to users already in that state, so"
                        + " they changed nothing (no write, no event, nothing audited): preload more users (--users) or mix"
                        + " deactivate=1,reactivate=1 to measure changes", stats.operation().key(), stats.unchanged(), answered));
            }
        }
        long limited = outcome.stats().values().stream().mapToLong(stats -> stats.outcomes().getOrDefault("429", 0L)).sum();
        if (limited > 0) {
            all.add(limited + " requests were refused with 429 by the per-tenant rate limit; spread the load over more"
                    + " tenants (--tenants) to measure the pipeline rather than the limit");
        }
        return all;
    }

    private static void checkReachable(ScimClient client, Target target) throws Exception {
        Tenant tenant = target.tenants().get(0);
        CompletableFuture<ScimClient.Reply> probe = client.send(tenant.token, "GET", "/Users?count=1", null);
        ScimClient.Reply reply = probe.get(35, TimeUnit.SECONDS);
        if (!reply.ok()) {
            throw new BenchError("the SCIM API at " + target.scimBaseUrl() + " answered " + reply.outcome()
                    + " to a first request" + (reply.status() == 401 ? " (wrong --token?)" : ""));
        }
    }

    /** The 1-minute load average, or -1 where the system does not tell it. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (Exception e) {
            return -1;
        }
    }

    private static BenchResults.Machine machine(double loadAtStart, double loadAtEnd) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown";
        }
        Runtime runtime = Runtime.getRuntime();
        return new BenchResults.Machine(host, runtime.availableProcessors(), runtime.maxMemory() / (1024 * 1024),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.version"), loadAtStart, loadAtEnd);
    }
}
