package dev.scimflow.ops.bench;

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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.scimflow.ops.Json;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.stack.Credentials;
import dev.scimflow.ops.stack.DataDir;
import dev.scimflow.ops.stack.StackFile;
import dev.scimflow.ops.tokens.UserStoreTarget;
import dev.scimflow.store.TenantTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scimflow bench}: drives a running stack the way identity providers do (creates, reads, searches, profile
 * updates, deactivations, reactivations and group membership changes) and measures it: per-operation latency
 * percentiles, throughput and errors, and how long a deactivation takes to reach the audit log.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Loads a running stack like real IdPs and reports latency percentiles, throughput and errors per"
                + " operation, and the lag from a deactivation's 2xx to its audit record.",
        "Prints a table; writes results.json and report.html to --out."}, footer = {"", "Examples:",
                "  scimflow bench --data-dir .scimflow --tenants 4 --users 5000 --rate 200 --duration 60s",
                "  scimflow bench --data-dir .scimflow --tenants 16 --users 0 --only create --concurrency 64 --duration 30s",
                "  scimflow bench --url https://scim.example/scim/v2 --token $TOKEN --rate 50"})
public final class BenchCommand implements Callable<Integer> {

    static final String TOKEN_LABEL = "scimflow bench";

    @Spec
    CommandSpec spec;

    @Mixin
    UserStoreTarget store;

    @Option(names = "--url", paramLabel = "URL", description = "SCIM base URL, e.g. http://127.0.0.1:8080/scim/v2 (default: the stack of --data-dir).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "A tenant's SCIM token, for a single tenant (default: the stack's own tenant, unless --tenants).")
    String token;

    @Option(names = "--tenants", paramLabel = "N", defaultValue = "0", description = "Create N new tenants (as `scimflow tenant create` does, in the stack's database or --jdbc-url) and spread the load over them.")
    int tenants;

    @Option(names = "--users", paramLabel = "N", defaultValue = "1000", description = "Users to create before the measured run (default: ${DEFAULT-VALUE}).")
    long users;

    @Option(names = "--preload-concurrency", paramLabel = "N", defaultValue = "64", description = "Creates in flight while preloading (default: ${DEFAULT-VALUE}).")
    int preloadConcurrency;

    @Option(names = "--rate", paramLabel = "REQ/S", description = "Open loop: send this many requests a second, timed from when each was due.")
    Double rate;

    @Option(names = "--concurrency", paramLabel = "N", description = "Closed loop: keep N requests in flight (default: 32, when no --rate).")
    Integer concurrency;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "1024", description = "With --rate: at most N outstanding requests (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "30s", description = "Length of the measured run: 30s, 2m, ... (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--mix", paramLabel = "MIX", defaultValue = OperationMix.DEFAULT, description = "Relative weights of the operations (default: ${DEFAULT-VALUE}).")
    String mix;

    @Option(names = "--only", paramLabel = "OP", description = "Only this operation (create, get, search, put, deactivate, reactivate, members, bulk); overrides --mix.")
    String only;

    @Option(names = "--bulk-size", paramLabel = "N", defaultValue = "1000", description = "Creates in each request of the bulk operation (default: ${DEFAULT-VALUE}).")
    int bulkSize;

    @Option(names = "--audit-url", paramLabel = "URL", description = "The audit service (default: the stack of --data-dir).")
    String auditUrl;

    @Option(names = "--operator-token", paramLabel = "TOKEN", description = "Operator token for the audit API (default: the stack's, from its data directory).")
    String operatorToken;

    @Option(names = "--lag-samples", paramLabel = "N", defaultValue = "200", description = "Deactivations followed to the audit log; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int lagSamples;

    @Option(names = "--lag-poll", paramLabel = "TIME", defaultValue = "20ms", description = "How often the audit API is asked about a followed deactivation (default: ${DEFAULT-VALUE}).")
    String lagPoll;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "30s", description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--out", paramLabel = "DIR", description = "Where results.json and report.html go (default: bench-results/<timestamp>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Progress progress = Progress.stderr();
        OperationMix operations = only != null ? OperationMix.only(only) : OperationMix.parse(mix);
        Duration runLength = DurationText.parse("--duration", duration);
        Duration requestTimeout = DurationText.parse("--timeout", timeout);
        if (rate != null && concurrency != null) {
            throw new OperatorError("give either --rate (open loop) or --concurrency (closed loop), not both");
        }
        if (rate != null && !(rate > 0)) {
            throw new OperatorError("--rate must be positive");
        }
        int inFlight = rate != null ? maxInFlight : concurrency != null ? concurrency : 32;
        if (inFlight < 1 || preloadConcurrency < 1 || users < 0 || tenants < 0 || bulkSize < 1) {
            throw new OperatorError("--concurrency, --max-in-flight and --preload-concurrency must be at least 1;"
                    + " --users and --tenants not negative");
        }
        Instant startedAt = Instant.now();
        double loadAtStart = loadAverage();
        byte[] id = new byte[3];
        ThreadLocalRandom.current().nextBytes(id);
        String runId = HexFormat.of().formatHex(id);
        Path outDir = out != null
                ? out
                : Path.of("bench-results",
                        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(startedAt));

        Target target = target(progress, runId);
        ScimClient client = ScimClient.start(target.scimBaseUrl(), requestTimeout, Math.max(inFlight, preloadConcurrency));
        try {
            return measure(client, target, runId, progress, operations, runLength, requestTimeout, inFlight, startedAt, loadAtStart,
                    outDir);
        } finally {
            client.stop();
        }
    }

    private int measure(ScimClient client, Target target, String runId, Progress progress, OperationMix operations, Duration runLength,
                        Duration requestTimeout, int inFlight, Instant startedAt, double loadAtStart, Path outDir)
            throws Exception {
        Workload workload = new Workload(client, target.tenants(), runId, bulkSize);
        List<String> notes = new ArrayList<>();

        if (operations.includes(Operation.MEMBERS)) {
            for (Tenant tenant : target.tenants()) {
                ScimClient.Reply reply = workload.createGroup(tenant).get(requestTimeout.toSeconds() + 5, TimeUnit.SECONDS);
                if (!reply.ok()) {
                    throw new OperatorError("cannot create the benchmark group of tenant '" + tenant.name + "': "
                            + reply.outcome() + " " + (reply.body() == null ? "" : reply.body()));
                }
            }
        }
        checkReachable(client, target);

        BenchResults.Preload preload = null;
        if (users > 0) {
            progress.say("preloading " + users + " users over " + target.tenants().size() + " tenant(s), "
                    + preloadConcurrency + " in flight");
            preload = new Preload(workload, target.tenants(), preloadConcurrency, progress).run(users);
            progress.say(String.format(Locale.ROOT, "preloaded %d users in %.1f s: %.1f creates/s", preload.created(),
                    preload.seconds(), preload.createsPerSecond()));
        }

        AuditLag lag = null;
        if (lagSamples > 0 && operations.includes(Operation.DEACTIVATE)) {
            if (target.auditUrl() == null || target.operatorToken() == null) {
                notes.add("apply lag to the audit log not measured: no audit URL or operator token (--audit-url, --operator-token)");
            } else {
                lag = new AuditLag(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), target.auditUrl(),
                        target.operatorToken(), lagSamples, 16,
                        DurationText.parse("--lag-poll", lagPoll), Duration.ofSeconds(30));
            }
        }
        progress.say("running " + operations + " for " + runLength.toSeconds() + " s, "
                + (rate != null ? "open loop at " + rate + " req/s" : "closed loop with " + inFlight + " in flight"));
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
                    + " (%d operations not created; a bulk with any counts as status 207 above)", bulk[0], bulkSize,
                    outcome.seconds(), bulk[0] / outcome.seconds(), bulk[1]));
        }

        BenchResults results = new BenchResults(startedAt, machine(loadAtStart, loadAverage()),
                new BenchResults.Settings(target.scimBaseUrl(),
                        rate != null ? "rate" : "concurrency", rate, rate != null ? null : inFlight, runLength.toMillis() / 1000.0,
                        operations.toString(), target.tenants().size(), users),
                preload,
                run, cpu.between(cpuBefore, cpuAfter, run.total().count()), applyLag, notes(notes, target, outcome));
        Files.createDirectories(outDir);
        Json.write(outDir.resolve("results.json"), results, false);
        Files.writeString(outDir.resolve("report.html"), HtmlReport.render(results));
        spec.commandLine().getOut().print(TextReport.render(results));
        spec.commandLine().getOut().flush();
        progress.say("wrote " + outDir.resolve("results.json") + " and " + outDir.resolve("report.html"));
        return 0;
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
        long limited = outcome.stats().values().stream().mapToLong(stats -> stats.outcomes().getOrDefault("429", 0L)).sum();
        if (limited > 0) {
            all.add(limited + " requests were refused with 429 by the per-tenant rate limit; spread the load over more"
                    + " tenants (--tenants) to measure the pipeline rather than the limit");
        }
        return all;
    }

    /** {@code localStack}: the data directory of the stack under load when it runs on this machine, else null. */
    private record Target(String scimBaseUrl, String auditUrl, String operatorToken, List<Tenant> tenants, DataDir localStack) {
    }

    private Target target(Progress progress, String runId) throws Exception {
        DataDir dir = new DataDir(store.dataDir());
        StackFile stack = url != null && (auditUrl != null || lagSamples == 0)
                ? null
                : StackFile.read(dir).orElse(null);
        String scimBaseUrl = url != null ? url : stack != null ? stack.scimBaseUrl() : null;
        if (scimBaseUrl == null) {
            throw new OperatorError("no running stack in " + dir.root() + "; start it with `scimflow up`, or pass --url");
        }
        Credentials credentials = Files.exists(dir.credentials()) ? Credentials.load(dir.credentials()) : null;
        String audit = auditUrl != null ? auditUrl : stack != null ? stack.auditUrl() : null;
        String operator = operatorToken != null ? operatorToken : credentials != null ? credentials.auditToken() : null;
        List<Tenant> list = new ArrayList<>();
        if (tenants > 0) {
            if (token != null) {
                throw new OperatorError("give either --token (one existing tenant) or --tenants (new ones), not both");
            }
            try (UserStoreTarget.UserStore userStore = store.open(progress)) {
                TenantTokens tokens = new TenantTokens(userStore.dataSource());
                for (int i = 1; i <= tenants; i++) {
                    String name = "bench-" + runId + "-" + i;
                    tokens.createTenant(name);
                    list.add(new Tenant(name, tokens.issue(name, TOKEN_LABEL).token()));
                }
            }
            progress.say("created tenants bench-" + runId + "-1.." + tenants);
        } else if (token != null) {
            list.add(new Tenant("(--token)", token));
        } else {
            Map<String, Credentials.TenantToken> kept = credentials != null ? credentials.tenants() : Map.of();
            Map.Entry<String, Credentials.TenantToken> chosen = kept.containsKey("default")
                    ? Map.entry("default", kept.get("default"))
                    : kept.entrySet().stream().findFirst().orElseThrow(() -> new OperatorError(
                            "no tenant token: pass --token, or --tenants N to create tenants"));
            list.add(new Tenant(chosen.getKey(), chosen.getValue().token()));
        }
        // the stack.json of --data-dir describes the stack under load only when that stack is the target and its
        // `scimflow up` still runs (one left behind by a killed stack names processes that may be others' by now)
        StackFile running = stack != null ? stack : StackFile.read(dir).orElse(null);
        boolean local = running != null && running.scimBaseUrl().equals(scimBaseUrl)
                && ProcessHandle.of(running.pid()).filter(ProcessHandle::isAlive).isPresent();
        return new Target(scimBaseUrl, audit, operator, list, local ? dir : null);
    }

    private static void checkReachable(ScimClient client, Target target) throws Exception {
        Tenant tenant = target.tenants().get(0);
        CompletableFuture<ScimClient.Reply> probe = client.send(tenant.token, "GET", "/Users?count=1", null);
        ScimClient.Reply reply = probe.get(35, TimeUnit.SECONDS);
        if (!reply.ok()) {
            throw new OperatorError("the SCIM API at " + target.scimBaseUrl() + " answered " + reply.outcome()
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
