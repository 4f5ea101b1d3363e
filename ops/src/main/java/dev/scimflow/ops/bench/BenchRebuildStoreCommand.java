package dev.scimflow.ops.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.postgresql.PGConnection;

import dev.scimflow.bench.ProcessTable;
import dev.scimflow.bench.SeedEvents;
import dev.scimflow.ops.Installation;
import dev.scimflow.ops.Main;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.recovery.KafkaClients;
import dev.scimflow.ops.stack.JvmOptions;
import dev.scimflow.ops.stack.TopicPlan;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scimflow bench rebuild-store}: {@code scimflow rebuild store} measured end to end on a durable PostgreSQL
 * (fsync on, synchronous_commit on, verified with SHOW) and a Kafka broker of its own, both fresh: seeds USERS CREATED
 * user events ({@link SeedEvents}) to scim.events, runs the rebuild as its own JVM exactly as {@code scimflow} does (the
 * script's JVM options, {@link JvmOptions#COMMAND}, and the class path of this one), and reports its rate with the CPU
 * each process used (rebuild JVM, PostgreSQL, broker) and the load average. Then, as the machine's own limit, how fast
 * PostgreSQL alone takes the rebuilt rows back with COPY (binary, one transaction, no secondary indexes) into empty
 * copies of the tables.
 */
@Command(name = "rebuild-store", mixinStandardHelpOptions = true, description = {
        "Measures `scimflow rebuild store` on a fresh durable PostgreSQL and a fresh broker of its own: seeds USERS"
                + " users to scim.events, rebuilds the store in a JVM of its own, and prints the rate and the CPU of each"
                + " process; then how fast PostgreSQL alone takes the same rows with COPY.",
        "PostgreSQL listens on PORT_BASE+4, the broker on PORT_BASE+3 and its controller on PORT_BASE+5; the rebuild JVM"
                + " gets the options the scimflow script gives it, then REBUILD_JVM_OPTIONS (e.g. -Xmx2g)."}, footer = {"", "Example:",
                        "  scimflow bench rebuild-store 100000"})
public final class BenchRebuildStoreCommand implements Callable<Integer> {

    /** USER_HZ: the unit of the CPU times in /proc on every common Linux. */
    private static final long TICKS = 100;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USERS", description = "Users to seed and rebuild.")
    int users;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PORT_BASE", defaultValue = "18300", description = "Ports PORT_BASE+3..+5 are used (default: ${DEFAULT-VALUE}).")
    int base;

    @Parameters(index = "2", arity = "0..1", paramLabel = "WORK_DIR", defaultValue = "target/rebuild-bench", description = "Deleted first, then holds the database and the broker (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--jfr", paramLabel = "FILE", description = "Record the rebuild JVM with Java Flight Recorder (settings=profile) to FILE.")
    Path jfr;

    @Override
    public Integer call() throws Exception {
        if (users < 1) {
            throw new OperatorError("USERS must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path work = workDir.toAbsolutePath();
        delete(work);
        Files.createDirectories(work);
        out.println("load average at start: " + load());
        out.flush();

        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pg")).setCleanDataDirectory(true)
                .setOverrideWorkingDirectory(Files.createDirectories(work.resolve("pg-work")).toFile()).setPort(base + 4)
                .setLocaleConfig("locale", "C").setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").setServerConfig("full_page_writes", "on")
                .setPGStartupWait(Duration.ofSeconds(60)).start();
        Process broker = null;
        try {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                out.println("postgres " + show(s, "server_version") + ": fsync=" + show(s, "fsync") + " synchronous_commit="
                        + show(s, "synchronous_commit") + " full_page_writes=" + show(s, "full_page_writes") + " wal_level="
                        + show(s, "wal_level") + " shared_buffers=" + show(s, "shared_buffers") + " max_wal_size="
                        + show(s, "max_wal_size"));
                if (!show(s, "fsync").equals("on") || !show(s, "synchronous_commit").equals("on")) {
                    throw new IllegalStateException("not durable");
                }
            }
            String bootstrap = "127.0.0.1:" + (base + 3);
            broker = startBroker(work, base + 3, base + 5);
            try (Admin admin = KafkaClients.admin(bootstrap)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (true) {
                    try {
                        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                        TopicPlan.createMissing(admin, TopicPlan.SCIMFLOW, (short) 1);
                        break;
                    } catch (Exception e) {
                        if (System.nanoTime() > deadline || !broker.isAlive()) {
                            throw new OperatorError("the broker did not start; see " + work.resolve("kafka.log"), e);
                        }
                        Thread.sleep(300);
                    }
                }
            }
            long t0 = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap)) {
                SeedEvents.publish(producer, "default", users);
            }
            out.printf("seeded %d events in %d ms%n", users, (System.nanoTime() - t0) / 1_000_000);
            out.flush();

            String jdbc = "jdbc:postgresql://127.0.0.1:" + (base + 4) + "/postgres";
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(JvmOptions.COMMAND); // as the scimflow script runs the command
            if (jfr != null) {
                command.addAll(List.of("-XX:StartFlightRecording=filename=" + jfr.toAbsolutePath() + ",settings=profile",
                        "-XX:FlightRecorderOptions=stackdepth=256"));
            }
            String options = System.getenv("REBUILD_JVM_OPTIONS");
            if (options != null && !options.isBlank()) {
                command.addAll(List.of(options.trim().split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "rebuild", "store",
                    "--kafka", bootstrap, "--jdbc-url", jdbc, "--db-user", "postgres", "--db-password", "postgres"));
            long postmaster = postmaster(work);
            ProcessTable before = processes();
            long pgBefore = before.treeTicks(postmaster);
            long brokerBefore = before.treeTicks(broker.pid());
            long selfBefore = reapedChildren(before);
            String loadBefore = load();
            long r0 = System.nanoTime();
            Process rebuild = new ProcessBuilder(command).redirectErrorStream(true).start();
            Map<String, Long> threads = new ConcurrentHashMap<>();
            Thread sampler = new Thread(() -> sampleThreads(rebuild.pid(), threads));
            sampler.setDaemon(true);
            sampler.start();
            String output = new String(rebuild.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (rebuild.waitFor() != 0) {
                throw new OperatorError("the rebuild failed:\n" + output);
            }
            double wall = (System.nanoTime() - r0) / 1e9;
            ProcessTable after = processes();
            out.print(output);
            out.printf("rebuild JVM wall %.1f s (JVM start included): %.0f users/s; CPU seconds: rebuild JVM %.1f, postgres %.1f,"
                    + " broker %.1f; load average %s -> %s%n", wall, users / wall, (reapedChildren(after) - selfBefore) / (double) TICKS,
                    (after.treeTicks(postmaster) - pgBefore) / (double) TICKS,
                    (after.treeTicks(broker.pid()) - brokerBefore) / (double) TICKS,
                    loadBefore, load());
            out.println("rebuild JVM CPU seconds by thread (sampled every 200 ms): " + byThreadKind(threads));
            out.flush();
            copyAlone(pg, out);
        } finally {
            if (broker != null) {
                broker.destroy();
                if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                    broker.destroyForcibly();
                }
            }
            pg.close();
        }
        out.println("load average at end: " + load());
        out.flush();
        return 0;
    }

    /**
     * The machine's own limit: the rows just rebuilt, copied out in binary and loaded back into empty copies of their
     * tables (columns and primary keys, no secondary indexes) in one transaction, with nothing else for PostgreSQL to do.
     */
    private static void copyAlone(EmbeddedPostgres pg, PrintWriter out) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (String table : List.of("users", "applied_changes")) {
                ByteArrayOutputStream rows = new ByteArrayOutputStream();
                long n = copy.copyOut("copy scim." + table + " to stdout (format binary)", rows);
                s.execute("create table scim.bench_" + table + " (like scim." + table + " including defaults including constraints)");
                s.execute("alter table scim.bench_" + table + " add primary key ("
                        + (table.equals("users") ? "tenant_id, id" : "change_id") + ")");
                c.setAutoCommit(false);
                long t0 = System.nanoTime();
                copy.copyIn("copy scim.bench_" + table + " from stdin (format binary)", new ByteArrayInputStream(rows.toByteArray()));
                c.commit();
                double seconds = (System.nanoTime() - t0) / 1e9;
                c.setAutoCommit(true);
                out.printf("PostgreSQL alone: COPY of %d %s rows (%d MB, binary, primary key only) and commit in %.1f s: %.0f rows/s%n",
                        n, table, rows.size() >> 20, seconds, n / seconds);
                out.flush();
                s.execute("drop table scim.bench_" + table);
            }
        }
    }

    /** A one-node KRaft broker of its own, from the installation's kafka/ class path, as `scimflow up` runs one. */
    private static Process startBroker(Path work, int port, int controllerPort) throws Exception {
        Path logs = Files.createDirectories(work.resolve("kafka-logs"));
        Path config = work.resolve("server.properties");
        Files.writeString(config, String.join("\n", "process.roles=broker,controller", "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port, "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT", "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logs, "offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1", "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1", "min.insync.replicas=1", "auto.create.topics.enable=false",
                "group.initial.rebalance.delay.ms=0") + "\n");
        Path log4j = work.resolve("log4j2.properties");
        Files.writeString(log4j, "status = warn\nappender.stdout.type = Console\nappender.stdout.name = STDOUT\n"
                + "appender.stdout.layout.type = PatternLayout\nappender.stdout.layout.pattern = [%d] %p %m (%c)%n\n"
                + "rootLogger.level = WARN\nrootLogger.appenderRef.stdout.ref = STDOUT\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> classPath = List.of("-cp", Installation.current().kafkaLibs().toAbsolutePath() + "/*",
                "-Dlog4j2.configurationFile=" + log4j.toUri());
        List<String> format = new ArrayList<>(List.of(java, "-Xmx256m"));
        format.addAll(classPath);
        format.addAll(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted", "-t", "rebuild-bench-cluster0", "-c",
                config.toString()));
        Process formatting = new ProcessBuilder(format).redirectErrorStream(true)
                .redirectOutput(work.resolve("kafka-format.log").toFile()).start();
        if (formatting.waitFor() != 0) {
            throw new OperatorError("formatting the broker's storage failed; see " + work.resolve("kafka-format.log"));
        }
        List<String> run = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC"));
        run.addAll(classPath);
        run.addAll(List.of("kafka.Kafka", config.toString()));
        return new ProcessBuilder(run).redirectErrorStream(true).redirectOutput(work.resolve("kafka.log").toFile()).start();
    }

    /** The CPU of each thread of a process (by tid, with its name), sampled until the process ends. */
    private static void sampleThreads(long pid, Map<String, Long> threads) {
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String name = Files.readString(task.resolve("comm")).trim();
                        ProcessTable.Stat thread = ProcessTable.Stat.parse(Files.readString(task.resolve("stat")));
                        threads.put(task.getFileName() + " " + name, thread.utime() + thread.stime());
                    } catch (Exception gone) {
                        // the thread ended between the listing and the read
                    }
                }
                Thread.sleep(200);
            } catch (Exception ended) {
                return;
            }
        }
    }

    /** Thread CPU summed by kind of thread (its name without numbers), largest first. */
    private static String byThreadKind(Map<String, Long> threads) {
        Map<String, Long> kinds = new TreeMap<>();
        threads.forEach((key, ticks) -> kinds.merge(key.substring(key.indexOf(' ') + 1).replaceAll("[0-9]+", "#"), ticks, Long::sum));
        return kinds.entrySet().stream().filter(e -> e.getValue() >= 5).sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .map(e -> String.format("%s %.1f", e.getKey(), e.getValue() / (double) TICKS)).collect(Collectors.joining(", "));
    }

    private static String show(Statement s, String setting) throws Exception {
        try (ResultSet r = s.executeQuery("show " + setting)) {
            r.next();
            return r.getString(1);
        }
    }

    private static long postmaster(Path work) throws Exception {
        return Long.parseLong(Files.readAllLines(work.resolve("pg").resolve("postmaster.pid")).get(0).trim());
    }

    private static ProcessTable processes() {
        return ProcessTable.read(Path.of("/proc")).orElseThrow(() -> new OperatorError("the CPU times are read from /proc, which this"
                + " machine does not have"));
    }

    /** The CPU time of this JVM's children that exited and were reaped (the rebuild JVM, once it has exited). */
    private static long reapedChildren(ProcessTable processes) {
        ProcessTable.Stat self = processes.process(ProcessHandle.current().pid()).orElseThrow();
        return self.cutime() + self.cstime();
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static void delete(Path path) throws Exception {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
