import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.postgresql.PGConnection;
import dev.scimflow.events.*;
import dev.scimflow.ops.recovery.KafkaClients;
import dev.scimflow.ops.stack.TopicPlan;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Measures `scimflow rebuild store` end to end on a durable PostgreSQL (fsync on, synchronous_commit on, verified with
 * SHOW) and a Kafka broker of its own, both fresh: seeds N CREATED user events (the shape of Seed.java) to scim.events,
 * runs the rebuild as its own JVM exactly as ./scimflow does, and reports its rate with the CPU each process used
 * (rebuild JVM, PostgreSQL, broker) and the load average. Then, as the machine's own limit, how fast PostgreSQL alone
 * takes the rebuilt rows back with COPY (binary, one transaction, no secondary indexes) into empty copies of the tables.
 * Run from the repository root after `mvn -DskipTests install` (docs/BENCHMARK.md, "Rebuild"):
 *   java -cp "ops/target/scimflow.jar:ops/target/lib/*" bench/RebuildStore.java USERS [PORT_BASE] [WORK_DIR] [--jfr FILE]
 * PORT_BASE (default 18300): PostgreSQL on +4, the broker on +3 and its controller on +5. WORK_DIR (default
 * target/rebuild-bench) is deleted first.
 */
public class RebuildStore {
  static final long TICKS = 100; // USER_HZ

  public static void main(String[] a) throws Exception {
    int users = Integer.parseInt(a[0]);
    int base = a.length > 1 ? Integer.parseInt(a[1]) : 18300;
    Path work = Path.of(a.length > 2 && !a[2].startsWith("--") ? a[2] : "target/rebuild-bench").toAbsolutePath();
    String jfr = null;
    for (int i = 0; i < a.length - 1; i++) if (a[i].equals("--jfr")) jfr = Path.of(a[i + 1]).toAbsolutePath().toString();
    delete(work);
    Files.createDirectories(work);
    System.out.println("load average at start: " + load());

    EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pg")).setCleanDataDirectory(true)
        .setOverrideWorkingDirectory(Files.createDirectories(work.resolve("pg-work")).toFile()).setPort(base + 4)
        .setLocaleConfig("locale", "C").setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").setServerConfig("full_page_writes", "on")
        .setPGStartupWait(Duration.ofSeconds(60)).start();
    Process broker = null;
    try {
      try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        System.out.println("postgres " + show(s, "server_version") + ": fsync=" + show(s, "fsync") + " synchronous_commit="
            + show(s, "synchronous_commit") + " full_page_writes=" + show(s, "full_page_writes") + " wal_level=" + show(s, "wal_level")
            + " shared_buffers=" + show(s, "shared_buffers") + " max_wal_size=" + show(s, "max_wal_size"));
        if (!show(s, "fsync").equals("on") || !show(s, "synchronous_commit").equals("on")) throw new IllegalStateException("not durable");
      }
      String bootstrap = "127.0.0.1:" + (base + 3);
      broker = startBroker(work, base + 3, base + 5);
      try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
          try {
            admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
            TopicPlan.createMissing(admin, TopicPlan.SCIMFLOW, (short) 1);
            break;
          } catch (Exception e) {
            if (System.nanoTime() > deadline || !broker.isAlive()) throw new IllegalStateException("broker did not start; see " + work.resolve("kafka.log"), e);
            Thread.sleep(300);
          }
        }
      }
      long t0 = System.nanoTime();
      seed(bootstrap, "default", users);
      System.out.printf("seeded %d events in %d ms%n", users, (System.nanoTime() - t0) / 1_000_000);

      String jdbc = "jdbc:postgresql://127.0.0.1:" + (base + 4) + "/postgres";
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      if (jfr != null) command.addAll(List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile",
          "-XX:FlightRecorderOptions=stackdepth=256"));
      String options = System.getenv("REBUILD_JVM_OPTIONS"); // e.g. -Xmx2g, to try JVM settings
      if (options != null && !options.isBlank()) command.addAll(List.of(options.trim().split("\\s+")));
      command.addAll(List.of("-cp", "ops/target/scimflow.jar:ops/target/lib/*", "dev.scimflow.ops.Main", "rebuild", "store",
          "--kafka", bootstrap, "--jdbc-url", jdbc, "--db-user", "postgres", "--db-password", "postgres"));
      long pgBefore = cpuOfTree(postmaster(work)), brokerBefore = cpu(broker.pid()), selfBefore = childrenCpu();
      String loadBefore = load();
      long r0 = System.nanoTime();
      Process rebuild = new ProcessBuilder(command).redirectErrorStream(true).start();
      java.util.Map<String, Long> threads = new java.util.concurrent.ConcurrentHashMap<>();
      Thread sampler = new Thread(() -> sampleThreads(rebuild.pid(), threads));
      sampler.setDaemon(true);
      sampler.start();
      String output = new String(rebuild.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (rebuild.waitFor() != 0) throw new IllegalStateException("rebuild failed:\n" + output);
      double wall = (System.nanoTime() - r0) / 1e9;
      System.out.print(output);
      System.out.printf("rebuild JVM wall %.1f s (JVM start included): %.0f users/s; CPU seconds: rebuild JVM %.1f, postgres %.1f, broker %.1f;"
              + " load average %s -> %s%n", wall, users / wall, (childrenCpu() - selfBefore) / (double) TICKS,
          (cpuOfTree(postmaster(work)) - pgBefore) / (double) TICKS, (cpu(broker.pid()) - brokerBefore) / (double) TICKS, loadBefore, load());
      System.out.println("rebuild JVM CPU seconds by thread (sampled every 200 ms): " + byThreadKind(threads));
      copyAlone(pg);
    } finally {
      if (broker != null) {
        broker.destroy();
        if (!broker.waitFor(30, TimeUnit.SECONDS)) broker.destroyForcibly();
      }
      pg.close();
    }
    System.out.println("load average at end: " + load());
  }

  /** The same events as bench/Seed.java: one CREATED per user, one tenant. */
  static void seed(String bootstrap, String tenant, int n) throws Exception {
    String snapshot = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"%s","userName":"seed%d@example.com","externalId":"ext-%d","active":true,
         "name":{"givenName":"Seed","familyName":"User %d"},"emails":[{"value":"seed%d@example.com","primary":true}],
         "meta":{"resourceType":"User","created":"2026-11-28T10:00:00Z","lastModified":"2026-11-28T10:00:00Z","version":"W/\\"1\\""}}""";
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap)) {
      for (int i = 0; i < n; i++) {
        String id = UUID.nameUUIDFromBytes(("seed-" + i).getBytes(StandardCharsets.UTF_8)).toString();
        ScimEvent created = new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), tenant, ResourceType.USER, id,
            EventType.CREATED, 1, null, EventCodec.mapper().readTree(snapshot.formatted(id, i, i, i, i)), null, "seed-" + i,
            Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:00:01Z"), ScimEvent.SCHEMA_VERSION);
        producer.send(new ProducerRecord<>(Topics.EVENTS, created.key().getBytes(StandardCharsets.UTF_8), EventCodec.encode(created)));
      }
    }
  }

  /**
   * The machine's own limit: the rows just rebuilt, copied out in binary and loaded back into empty copies of their
   * tables (columns and primary keys, no secondary indexes) in one transaction, with nothing else for PostgreSQL to do.
   */
  static void copyAlone(EmbeddedPostgres pg) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      var copy = c.unwrap(PGConnection.class).getCopyAPI();
      for (String table : List.of("users", "applied_changes")) {
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        long n = copy.copyOut("copy scim." + table + " to stdout (format binary)", rows);
        s.execute("create table scim.bench_" + table + " (like scim." + table + " including defaults including constraints)");
        s.execute("alter table scim.bench_" + table + " add primary key (" + (table.equals("users") ? "tenant_id, id" : "change_id") + ")");
        c.setAutoCommit(false);
        long t0 = System.nanoTime();
        copy.copyIn("copy scim.bench_" + table + " from stdin (format binary)", new ByteArrayInputStream(rows.toByteArray()));
        c.commit();
        double seconds = (System.nanoTime() - t0) / 1e9;
        c.setAutoCommit(true);
        System.out.printf("PostgreSQL alone: COPY of %d %s rows (%d MB, binary, primary key only) and commit in %.1f s: %.0f rows/s%n",
            n, table, rows.size() >> 20, seconds, n / seconds);
        s.execute("drop table scim.bench_" + table);
      }
    }
  }

  static Process startBroker(Path work, int port, int controllerPort) throws Exception {
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
    List<String> cp = List.of("-cp", Path.of("ops/target/kafka").toAbsolutePath() + "/*", "-Dlog4j2.configurationFile=" + log4j.toUri());
    List<String> format = new ArrayList<>(List.of(java, "-Xmx256m"));
    format.addAll(cp);
    format.addAll(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted", "-t", "rebuild-bench-cluster0", "-c", config.toString()));
    Process formatting = new ProcessBuilder(format).redirectErrorStream(true).redirectOutput(work.resolve("kafka-format.log").toFile()).start();
    if (formatting.waitFor() != 0) throw new IllegalStateException("formatting failed; see " + work.resolve("kafka-format.log"));
    List<String> run = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC"));
    run.addAll(cp);
    run.addAll(List.of("kafka.Kafka", config.toString()));
    return new ProcessBuilder(run).redirectErrorStream(true).redirectOutput(work.resolve("kafka.log").toFile()).start();
  }

  /** The CPU of each thread of a process (by tid, with its name), sampled until the process ends. */
  static void sampleThreads(long pid, java.util.Map<String, Long> threads) {
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
        for (Path task : tasks.toList()) {
          try {
            String name = Files.readString(task.resolve("comm")).trim();
            String s = Files.readString(task.resolve("stat"));
            String[] f = ("pid comm " + s.substring(s.lastIndexOf(')') + 2)).split(" ");
            threads.put(task.getFileName() + " " + name, Long.parseLong(f[13]) + Long.parseLong(f[14]));
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
  static String byThreadKind(java.util.Map<String, Long> threads) {
    java.util.Map<String, Long> kinds = new java.util.TreeMap<>();
    threads.forEach((key, ticks) -> kinds.merge(key.substring(key.indexOf(' ') + 1).replaceAll("[0-9]+", "#"), ticks, Long::sum));
    return kinds.entrySet().stream().filter(e -> e.getValue() >= 5).sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
        .map(e -> String.format("%s %.1f", e.getKey(), e.getValue() / (double) TICKS)).collect(java.util.stream.Collectors.joining(", "));
  }

  static String show(Statement s, String setting) throws Exception {
    try (ResultSet r = s.executeQuery("show " + setting)) {
      r.next();
      return r.getString(1);
    }
  }

  static long postmaster(Path work) throws Exception {
    return Long.parseLong(Files.readAllLines(work.resolve("pg").resolve("postmaster.pid")).get(0).trim());
  }

  /** utime + stime of a process, in clock ticks; 0 when it is gone. */
  static long cpu(long pid) {
    String[] f = stat(pid);
    return f == null ? 0 : Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }

  /** A process, its live children, and the children it has already reaped (PostgreSQL's backends), in clock ticks. */
  static long cpuOfTree(long pid) {
    String[] f = stat(pid);
    long total = Long.parseLong(f[13]) + Long.parseLong(f[14]) + Long.parseLong(f[15]) + Long.parseLong(f[16]);
    for (ProcessHandle child : ProcessHandle.of(pid).orElseThrow().children().toList()) total += cpu(child.pid());
    return total;
  }

  /** CPU of this JVM's reaped children (the rebuild JVM once it has exited), in clock ticks. */
  static long childrenCpu() {
    String[] f = stat(ProcessHandle.current().pid());
    return Long.parseLong(f[15]) + Long.parseLong(f[16]);
  }

  static String[] stat(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // index i holds field i + 1 of proc(5): pid and comm (which may hold spaces) replaced by placeholders
      return ("pid comm " + s.substring(s.lastIndexOf(')') + 2)).split(" ");
    } catch (Exception e) {
      return null;
    }
  }

  static String load() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  static void delete(Path path) throws Exception {
    if (!Files.exists(path)) return;
    try (var walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
