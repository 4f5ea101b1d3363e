package dev.scimflow.system.faults;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.scimflow.events.Topics;
import dev.scimflow.ops.ScimflowCommand;
import dev.scimflow.ops.recovery.GroupLag;
import dev.scimflow.ops.recovery.KafkaClients;
import dev.scimflow.ops.stack.BrokerProperties;
import dev.scimflow.ops.stack.TopicPlan;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.UserStoreSchema;
import dev.scimflow.system.DurablePostgres;
import dev.scimflow.system.ServiceJvms;
import dev.scimflow.testing.TestInfrastructure;

/**
 * A pipeline for fault tests, owned by one test class: a broker process of its own (so it can be stopped, and so
 * that consumer groups and topics are not shared with other tests), or a cluster of three broker processes as
 * {@code scimflow up --kafka-brokers 3} runs them, a durable PostgreSQL server of its own, run as
 * {@code scimflow up} runs it, and the services as processes that a test can kill ({@code SIGKILL}), stop and start
 * again by name.
 */
final class FaultStack implements AutoCloseable {

    static final String WORKER_GROUP = "scimflow-worker";
    static final String AUDIT_GROUP = "scimflow-audit";
    /** The services' Kafka consumer session timeout (the broker's minimum is 6 s). */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The single broker, or node 1 of the cluster. */
    final BrokerProcess broker;
    /** Every broker, node 1 first. */
    final List<BrokerProcess> brokers;
    /** Every broker's address, as the services get them. */
    final String bootstrap;
    final DurablePostgres postgres;
    final TestInfrastructure.Database database;
    final DataSource dataSource;
    final JdbcClient jdbc;
    final String operatorToken = "op-" + java.util.UUID.randomUUID();
    private final TenantTokens tokens;
    private final Map<String, Running> services = new LinkedHashMap<>();

    private record Running(String module, int port, Map<String, String> env, Process process) {
    }

    FaultStack(String name) {
        this(name, 1);
    }

    /** With one broker, or with a cluster of three whose topics have replication factor 3 and min.insync.replicas=2. */
    FaultStack(String name, int brokerCount) {
        Path dir = Path.of("target", "faults", name + "-" + ProcessHandle.current().pid());
        if (brokerCount == 1) {
            brokers = List.of(new BrokerProcess(dir, freePort(), freePort()));
        } else {
            List<BrokerProperties.Node> nodes = new java.util.ArrayList<>();
            for (int id = 1; id <= brokerCount; id++) {
                nodes.add(new BrokerProperties.Node(id, freePort(), freePort()));
            }
            brokers = nodes.stream().map(node -> new BrokerProcess(dir.resolve("kafka-" + node.id()), node.id(), nodes)).toList();
        }
        broker = brokers.get(0);
        bootstrap = String.join(",", brokers.stream().map(BrokerProcess::bootstrap).toList());
        brokers.forEach(BrokerProcess::launch);
        brokers.forEach(BrokerProcess::awaitListening);
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            Awaitility.await("every broker registered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.describeCluster().nodes().get().size() == brokerCount);
            TopicPlan.createMissing(admin, TopicPlan.SCIMFLOW, TopicPlan.replicationFactor(brokerCount));
        } catch (Exception e) {
            throw new IllegalStateException("could not create the topics", e);
        }
        postgres = new DurablePostgres("faults-" + name);
        database = postgres.newDatabase();
        dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), database.jdbcUrl(), database.username(), database.password());
        UserStoreSchema.migrate(dataSource);
        jdbc = JdbcClient.create(dataSource);
        tokens = new TenantTokens(dataSource);
        ServiceJvms.prepare(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "SPRING_DATASOURCE_URL", database.jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", database.username(), "SPRING_DATASOURCE_PASSWORD", database.password()));
    }

    /** A new tenant's bearer token. */
    String newTenant(String name) {
        tokens.createTenant(name);
        return tokens.issue(name, "fault-test").token();
    }

    String scimBaseUrl(String ingress) {
        return "http://127.0.0.1:" + services.get(ingress).port() + "/scim/v2";
    }

    String url(String service) {
        return "http://127.0.0.1:" + services.get(service).port();
    }

    void startWorker(String name) {
        start(name, "provisioning-worker", Map.of());
    }

    void startIngress(String name) {
        start(name, "scim-ingress", Map.of());
    }

    void startAudit(String name) {
        start(name, "audit-service", Map.of("SCIMFLOW_AUDIT_OPERATOR_TOKEN_SHA256",
                HexFormat.of().formatHex(TenantTokens.hash(operatorToken))));
    }

    /** Starts a service process and waits until it is ready. */
    void start(String name, String module, Map<String, String> extra) {
        Running known = services.get(name);
        int port = known != null ? known.port() : freePort();
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "SPRING_DATASOURCE_URL", database.jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", database.username(),
                "SPRING_DATASOURCE_PASSWORD", database.password(),
                "SERVER_PORT", Integer.toString(port),
                // a consumer killed with SIGKILL holds its partitions until its session times out: 45 s by default,
                // 10 s here, so that a restarted service gets them back sooner (heartbeats every 2 s, as they must be
                // well inside the session)
                "SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS", Long.toString(SESSION_TIMEOUT.toMillis()),
                "SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS", "2000"));
        env.putAll(extra);
        File log = Path.of("target", "faults", name + ".log").toFile();
        log.getParentFile().mkdirs();
        ProcessBuilder builder = new ProcessBuilder(ServiceJvms.command(module))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + module, e);
        }
        services.put(name, new Running(module, port, env, process));
        URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        Awaitility.await(name + " ready").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + log);
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** The body of a plain GET, e.g. a service's metrics. */
    String text(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code kill -9}: the process gets no chance to finish anything. */
    void kill(String name) {
        Process process = services.get(name).process();
        process.destroyForcibly();
        waitFor(process);
    }

    /** A clean stop (SIGTERM, graceful shutdown). */
    void stop(String name) {
        Process process = services.get(name).process();
        process.destroy();
        if (!waitFor(process)) {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    boolean isAlive(String name) {
        return services.containsKey(name) && services.get(name).process().isAlive();
    }

    /** Starts a stopped or killed service again, on its port, with its settings. */
    void restart(String name) {
        Running known = services.get(name);
        start(name, known.module(), known.env());
    }

    /** Runs a {@code scimflow} command in this JVM against this stack; returns its standard output. */
    String scimflow(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        var commandLine = ScimflowCommand.commandLine();
        commandLine.setOut(new java.io.PrintWriter(out));
        java.io.StringWriter err = new java.io.StringWriter();
        commandLine.setErr(new java.io.PrintWriter(err));
        int exit = commandLine.execute(args);
        if (exit != 0) {
            throw new IllegalStateException("scimflow " + String.join(" ", args) + " exited " + exit + ": " + err + out);
        }
        return out.toString();
    }

    /** Waits until the worker group has applied everything on scim.changes and the outbox is relayed. */
    void awaitWorkersCaughtUp() {
        awaitCaughtUp(WORKER_GROUP, Topics.CHANGES);
        Awaitility.await("outbox relayed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> jdbc.sql("select count(*) from scim.outbox").query(Long.class).single() == 0);
    }

    void awaitAuditCaughtUp() {
        awaitCaughtUp(AUDIT_GROUP, Topics.EVENTS);
    }

    void awaitCaughtUp(String group, String topic) {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            var ends = GroupLag.ends(admin, topic);
            Awaitility.await(group + " caught up on " + topic).atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> GroupLag.behind(admin, group, ends) == 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** End offsets of a topic, summed: how many records it has had. */
    long records(String topic) {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            return GroupLag.ends(admin, topic).values().stream().mapToLong(Long::longValue).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every user of a tenant as the store holds it, by id: version, times, flags and document. */
    Map<String, String> users(DataSource source, String tenant) {
        Map<String, String> users = new java.util.TreeMap<>();
        JdbcClient.create(source).sql("""
                select id, version || '|' || user_name || '|' || coalesce(external_id, '') || '|' || active || '|'
                       || email_values::text || '|' || created_at || '|' || last_modified || '|' || document::text
                from scim.users where tenant_id = ?""").param(tenant)
                .query((rs, row) -> users.put(rs.getString(1), rs.getString(2))).list();
        return users;
    }

    /** Each group of the tenant as one comparable line: its row, then its members in user id order, then its nested groups. */
    Map<String, String> groups(DataSource source, String tenant) {
        Map<String, String> groups = new java.util.TreeMap<>();
        JdbcClient.create(source).sql("""
                select g.id, g.version || '|' || g.display_name || '|' || coalesce(g.external_id, '') || '|' || g.member_count
                       || '|' || g.created_at || '|' || g.last_modified || '|' || g.document::text || '|'
                       || coalesce((select string_agg(m.user_id, ',' order by m.user_id) from scim.group_members m
                                    where m.tenant_id = g.tenant_id and m.group_id = g.id), '') || '|'
                       || coalesce((select string_agg(n.member_group_id, ',' order by n.member_group_id)
                                    from scim.group_member_groups n where n.tenant_id = g.tenant_id and n.group_id = g.id), '')
                from scim.groups g where g.tenant_id = ?""").param(tenant)
                .query((rs, row) -> groups.put(rs.getString(1), rs.getString(2))).list();
        return groups;
    }

    static List<String> lines(String output) {
        return output.lines().toList();
    }

    @Override
    public void close() {
        for (Running running : services.values()) {
            running.process().destroy();
        }
        for (Running running : services.values()) {
            if (!waitFor(running.process())) {
                running.process().destroyForcibly();
            }
        }
        brokers.forEach(BrokerProcess::stop);
        postgres.close();
    }

    private static boolean waitFor(Process process) {
        try {
            return process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
