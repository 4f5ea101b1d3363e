package dev.scimflow.ops.stack;

import static dev.scimflow.ops.stack.TestStacks.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import dev.scimflow.events.Topics;
import dev.scimflow.ops.Installation;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.stack.TestStacks.Cli;
import dev.scimflow.store.TenantTokens;

/**
 * The stack's infrastructure with real processes and no services: PostgreSQL and the Kafka broker start, the topics
 * and credentials are created, data and credentials survive a restart, dead parts come back, and the tenant and token
 * commands work against the data directory whether the stack runs or not.
 */
class InfrastructureIT {

    private static final Duration PROCESS_GONE = Duration.ofSeconds(10);

    @Test
    void databaseAndBrokerRunWithTopicsAndCredentialsThatSurviveARestart() throws Exception {
        StackOptions options = TestStacks.options(TestStacks.newDataDir("infra"), EnumSet.noneOf(Service.class));
        DataDir dataDir = new DataDir(options.dataDir());
        ReadyLine first;
        List<ProcessHandle> processes;
        String acmeTokenId;
        try (LocalStack stack = LocalStack.start(options, Installation.current(), Progress.stderr())) {
            first = stack.readyLine();
            assertThat(first.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + options.postgresPort() + "/postgres");
            assertThat(first.kafkaBootstrap()).isEqualTo("127.0.0.1:" + options.kafkaPort());
            assertThat(first.scimBaseUrl()).isEqualTo("http://127.0.0.1:" + options.ingressPort() + "/scim/v2");
            assertThat(first.auditUrl()).isEqualTo("http://127.0.0.1:" + options.auditPort());
            assertThat(first.tenant()).isEqualTo("default");
            assertThat(first.token()).startsWith(TenantTokens.PREFIX);
            assertThat(first.auditToken()).startsWith("scimflow_op_");
            assertThat(tokens(stack).authenticate(first.token())).get().extracting(TenantTokens.TokenPrincipal::tenant)
                    .isEqualTo("default");
            assertTopicsArePlanned(first.kafkaBootstrap());
            assertThat(durabilitySettings(first.jdbcUrl())).as("zonky's -F and synchronous_commit=off are overridden")
                    .containsExactlyInAnyOrderEntriesOf(Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on"));
            assertThat(settings(first.jdbcUrl(), LocalPostgres.MEMORY.keySet())).as("not PostgreSQL's default of 128 MB")
                    .containsExactlyEntriesOf(Map.of("shared_buffers", "512MB"));

            StackFile file = StackFile.read(dataDir).orElseThrow();
            assertThat(file.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(file.processes()).extracting(StackFile.Part::name).containsExactly("postgres", "kafka");
            assertThat(Files.readString(dataDir.stackFile())).doesNotContain(first.token()).doesNotContain(first.auditToken());
            processes = file.processes().stream().map(part -> ProcessHandle.of(part.pid()).orElseThrow()).toList();
            assertThat(List.of(processes.get(1).info().arguments().orElseThrow())).as("the broker's JVM options")
                    .containsSubsequence(JvmOptions.longRunning());

            assertThatThrownBy(() -> LocalStack.start(options, Installation.current(), Progress.silent()))
                    .isInstanceOf(OperatorError.class).hasMessageContaining("is in use by another scimflow process");

            Cli created = cli("tenant", "create", "acme", "--data-dir", options.dataDir().toString());
            assertThat(created.exitCode()).as(created.err()).isZero();
            acmeTokenId = created.field("token id");
            assertThat(tokens(stack).authenticate(created.field("token"))).get()
                    .extracting(TenantTokens.TokenPrincipal::tenant).isEqualTo("acme");

            // a deployment's database, given by URL, as an operator would reach it
            Cli remote = cli("token", "create", "--tenant", "acme", "--jdbc-url", first.jdbcUrl(), "--db-user", "postgres");
            assertThat(remote.exitCode()).as(remote.err()).isZero();
            assertThat(tokens(stack).authenticate(remote.field("token"))).isPresent();
            Cli noSchema = cli("token", "list", "--jdbc-url", first.jdbcUrl().replace("/postgres", "/template1"),
                    "--db-user", "postgres");
            assertThat(noSchema.exitCode()).isEqualTo(1);
            assertThat(noSchema.err()).contains("has no user store yet");

            Cli status = cli("status", "--data-dir", options.dataDir().toString());
            assertThat(status.exitCode()).as(status.out()).isZero();
            assertThat(status.out()).containsPattern("postgres +" + processes.get(0).pid() + " +yes +yes +0")
                    .containsPattern("kafka +" + processes.get(1).pid() + " +yes +yes +0");
        }
        for (ProcessHandle process : processes) {
            await().atMost(PROCESS_GONE).until(() -> !process.isAlive());
        }
        assertThat(dataDir.stackFile()).doesNotExist();
        assertThat(DataDirLock.isHeld(dataDir)).isFalse();
        assertThat(cli("status", "--data-dir", options.dataDir().toString()).exitCode()).isEqualTo(StatusCommand.NOT_RUNNING);

        // while the stack is down, the commands run its PostgreSQL for themselves
        Cli list = cli("token", "list", "--data-dir", options.dataDir().toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains(acmeTokenId).containsPattern("tok_\\S+ +default ");
        assertThat(cli("token", "revoke", acmeTokenId, "--data-dir", options.dataDir().toString()).exitCode()).isZero();
        Cli again = cli("token", "revoke", acmeTokenId, "--data-dir", options.dataDir().toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("token " + acmeTokenId + " is already revoked");
        Cli unknown = cli("token", "revoke", "tok_nope", "--data-dir", options.dataDir().toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown token id 'tok_nope'");
        Cli duplicate = cli("tenant", "create", "acme", "--data-dir", options.dataDir().toString());
        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.err()).contains("tenant 'acme' already exists");
        Cli noTenant = cli("token", "create", "--tenant", "nobody", "--data-dir", options.dataDir().toString());
        assertThat(noTenant.exitCode()).isEqualTo(1);
        assertThat(noTenant.err()).contains("unknown tenant 'nobody'");
        Cli another = cli("token", "create", "--tenant", "acme", "--json", "--data-dir", options.dataDir().toString());
        assertThat(another.exitCode()).as(another.err()).isZero();
        String anotherAcmeToken = dev.scimflow.ops.Json.MAPPER.readTree(another.out()).get("token").asString();
        assertThat(DataDirLock.isHeld(dataDir)).isFalse();
        assertThat(LocalPostgres.postmasterOf(dataDir)).isEmpty();

        try (LocalStack stack = LocalStack.start(options, Installation.current(), Progress.stderr())) {
            assertThat(stack.readyLine()).isEqualTo(first);
            assertThat(tokens(stack).authenticate(anotherAcmeToken)).isPresent();
            assertThat(tokens(stack).list("acme")).filteredOn(token -> token.id().equals(acmeTokenId))
                    .singleElement().satisfies(token -> assertThat(token.revokedAt()).isNotNull());

            ProcessHandle broker = ProcessHandle.of(StackFile.read(dataDir).orElseThrow().process("kafka").orElseThrow().pid())
                    .orElseThrow();
            broker.destroyForcibly();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                StackFile.Part restarted = StackFile.read(dataDir).orElseThrow().process("kafka").orElseThrow();
                assertThat(restarted.pid()).isNotEqualTo(broker.pid());
                assertThat(restarted.restarts()).isEqualTo(1);
            });
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .untilAsserted(() -> assertTopicsArePlanned(first.kafkaBootstrap()));

            ProcessHandle postmaster = LocalPostgres.postmasterOf(dataDir).orElseThrow();
            postmaster.destroyForcibly();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                assertThat(LocalPostgres.postmasterOf(dataDir)).get().isNotEqualTo(postmaster);
                assertThat(tokens(stack).authenticate(first.token())).isPresent();
            });
            assertThat(durabilitySettings(first.jdbcUrl())).as("after the supervisor restarted it")
                    .containsEntry("fsync", "on").containsEntry("synchronous_commit", "on");
        }
        TestStacks.deleteDataDir(options.dataDir());
    }

    @Test
    void threeKafkaBrokersAreEachASupervisedNodeWithTopicsReplicatedThriceAndTwoReplicasInSyncPerWrite() throws Exception {
        int kafkaPort = freeSixPorts();
        StackOptions one = TestStacks.options(TestStacks.newDataDir("cluster"), EnumSet.noneOf(Service.class));
        StackOptions options = new StackOptions(one.dataDir(), one.ingressPort(), one.auditPort(), one.workerPort(), kafkaPort,
                kafkaPort + 1, one.postgresPort(), one.tenant(), null, one.services(), one.readyTimeout(), one.eventsPort(), 3, null);
        DataDir dataDir = new DataDir(options.dataDir());
        try (LocalStack stack = LocalStack.start(options, Installation.current(), Progress.stderr())) {
            String bootstrap = stack.readyLine().kafkaBootstrap();
            assertThat(bootstrap).as("the READY line lists every broker")
                    .isEqualTo("127.0.0.1:" + kafkaPort + ",127.0.0.1:" + (kafkaPort + 2) + ",127.0.0.1:" + (kafkaPort + 4));
            assertTopicsArePlanned(bootstrap);
            try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(3);
                assertThat(admin.describeTopics(List.of(Topics.CHANGES, Topics.EVENTS)).allTopicNames().get(10, TimeUnit.SECONDS).values())
                        .flatExtracting(TopicDescription::partitions)
                        .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
                assertThat(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.CHANGES)))
                        .all().get(10, TimeUnit.SECONDS).values().iterator().next().get("min.insync.replicas").value()).isEqualTo("2");
            }
            StackFile file = StackFile.read(dataDir).orElseThrow();
            assertThat(file.processes()).extracting(StackFile.Part::name).containsExactly("postgres", "kafka", "kafka-2", "kafka-3");
            assertThat(file.kafkaBootstrap()).isEqualTo(bootstrap);
            assertThat(dataDir.kafkaLogs(3).resolve("meta.properties")).exists();
            Cli status = cli("status", "--data-dir", options.dataDir().toString());
            assertThat(status.exitCode()).as(status.out()).isZero();
            assertThat(status.out()).containsPattern("kafka-3 +" + file.process("kafka-3").orElseThrow().pid() + " +yes +yes +0");

            ProcessHandle node2 = ProcessHandle.of(file.process("kafka-2").orElseThrow().pid()).orElseThrow();
            node2.destroyForcibly();
            await("kafka-2 restarted by its supervisor").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                StackFile.Part restarted = StackFile.read(dataDir).orElseThrow().process("kafka-2").orElseThrow();
                assertThat(restarted.pid()).isNotEqualTo(node2.pid());
                assertThat(restarted.restarts()).isEqualTo(1);
            });
        }
        assertThatThrownBy(() -> LocalStack.start(options.withKafkaBrokers(1), Installation.current(), Progress.silent()))
                .as("a data directory keeps the number of brokers it was made with")
                .isInstanceOf(OperatorError.class).hasMessageContaining("was made with --kafka-brokers 3");
        assertThat(DataDirLock.isHeld(dataDir)).isFalse();
        TestStacks.deleteDataDir(options.dataDir());
    }

    /** A port such that it and the five above it are free: the client and controller ports of three nodes. */
    private static int freeSixPorts() throws Exception {
        while (true) {
            int base;
            try (ServerSocket probe = new ServerSocket(0)) {
                base = probe.getLocalPort();
            }
            if (base + 5 <= 65535 && java.util.stream.IntStream.rangeClosed(base, base + 5).allMatch(Ports::isFree)) {
                return base;
            }
        }
    }

    @Test
    void refusesAPortInUseAndLeavesNothingRunning() throws Exception {
        StackOptions options = TestStacks.options(TestStacks.newDataDir("port-taken"), EnumSet.noneOf(Service.class));
        try (ServerSocket taken = new ServerSocket(options.postgresPort())) {
            assertThatThrownBy(() -> LocalStack.start(options, Installation.current(), Progress.silent()))
                    .isInstanceOf(OperatorError.class)
                    .hasMessageContaining("port " + options.postgresPort() + " (--postgres-port) is in use");
        }
        DataDir dataDir = new DataDir(options.dataDir());
        assertThat(DataDirLock.isHeld(dataDir)).isFalse();
        assertThat(dataDir.postgres()).doesNotExist();
        assertThat(dataDir.stackFile()).doesNotExist();
        TestStacks.deleteDataDir(options.dataDir());
    }

    /** {@code SHOW} of each setting the server's durability rests on, as the running server has it. */
    static Map<String, String> durabilitySettings(String jdbcUrl) throws java.sql.SQLException {
        return settings(jdbcUrl, LocalPostgres.DURABILITY.keySet());
    }

    /** {@code SHOW} of each of these settings, as the running server has it. */
    static Map<String, String> settings(String jdbcUrl, java.util.Set<String> names) throws java.sql.SQLException {
        Map<String, String> settings = new java.util.HashMap<>();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, LocalPostgres.PASSWORD);
                java.sql.Statement statement = connection.createStatement()) {
            for (String name : names) {
                try (java.sql.ResultSet result = statement.executeQuery("show " + name)) {
                    result.next();
                    settings.put(name, result.getString(1));
                }
            }
        }
        return settings;
    }

    private static TenantTokens tokens(LocalStack stack) {
        var dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setUrl(stack.readyLine().jdbcUrl());
        dataSource.setUser(LocalPostgres.USER);
        return new TenantTokens(dataSource);
    }

    private static void assertTopicsArePlanned(String bootstrap) throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(properties)) {
            List<String> names = List.of(Topics.CHANGES, Topics.EVENTS, Topics.OUTCOMES, Topics.CHANGES_DLT, Topics.REQUESTS);
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
            assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(6));
            Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all().get(10, TimeUnit.SECONDS);
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.CHANGES)).get("retention.ms").value())
                    .isEqualTo("604800000");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS)).get("retention.ms").value())
                    .isEqualTo("-1");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.OUTCOMES)).get("retention.ms").value())
                    .isEqualTo("3600000");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.CHANGES_DLT)).get("retention.ms").value())
                    .isEqualTo("-1");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.REQUESTS)).get("retention.ms").value())
                    .isEqualTo("86400000");
        }
    }
}
