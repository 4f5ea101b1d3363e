package dev.scimflow.ops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.scimflow.bench.BenchError;
import dev.scimflow.bench.Benchmark;
import dev.scimflow.bench.DurationText;
import dev.scimflow.bench.OperationMix;
import dev.scimflow.bench.Tenant;
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
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, subcommands = {BenchSeedCommand.class,
        BenchWalkCommand.class, BenchRebuildStoreCommand.class}, description = {
                "Loads a running stack like real IdPs and reports latency percentiles, throughput and errors per"
                        + " operation, and the lag from a deactivation's 2xx to its audit record.",
                "Prints a table; writes results.json and report.html to --out."}, footer = {"", "Examples:",
                        "  scimflow bench --data-dir .scimflow --tenants 4 --users 5000 --rate 200 --duration 60s",
                        "  scimflow bench --data-dir .scimflow --tenants 16 --users 0 --only create --concurrency 64 --duration 30s",
                        "  scimflow bench --url https://scim.example/scim/v2 --token $TOKEN --rate 50", "",
                        "A large store: `scimflow bench seed`, `scimflow bench walk`, `scimflow bench rebuild-store` (each --help)."})
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

    @Option(names = "--warm-up", paramLabel = "TIME", description = "Run the same load this long first, unmeasured: the load"
            + " generator starts cold, and on a small machine its JIT compiler takes CPU from the stack in a measured run's"
            + " first seconds (default: none).")
    String warmUp;

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
        try {
            OperationMix operations = only != null ? OperationMix.only(only) : OperationMix.parse(mix);
            Duration runLength = DurationText.parse("--duration", duration);
            Duration warmUpLength = warmUp == null ? Duration.ZERO : DurationText.parse("--warm-up", warmUp);
            Duration requestTimeout = DurationText.parse("--timeout", timeout);
            Duration poll = DurationText.parse("--lag-poll", lagPoll);
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
            Benchmark benchmark = new Benchmark(new Benchmark.Settings(operations, rate, inFlight, preloadConcurrency, users,
                    warmUpLength, runLength, requestTimeout, bulkSize, lagSamples, poll, out), progress::say);
            benchmark.run(target(progress, benchmark.runId()), spec.commandLine().getOut());
            return 0;
        } catch (BenchError e) {
            throw new OperatorError(e.getMessage(), e);
        }
    }

    private Benchmark.Target target(Progress progress, String runId) throws Exception {
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
        return new Benchmark.Target(scimBaseUrl, audit, operator, list, local ? () -> StackFile.pids(dir) : null);
    }
}
