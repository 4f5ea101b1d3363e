package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.scimflow.ops.Installation;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.stack.ScimCalls.Reply;

/**
 * {@code scimflow up --postgres-replica} with the replica held back on purpose (it applies each commit
 * {@value #DELAY_SECONDS} s late): the ingress's reads of a tenant's acknowledged writes are answered at once, by the
 * primary, and by the replica once it has replayed them; the replica killed with SIGKILL costs reads no error, and it
 * comes back and catches up. Only the ingress and the worker run: the replica is theirs.
 */
class PostgresReplicaIT {

    private static final int DELAY_SECONDS = 5;

    @Test
    void aLaggingReplicaNeverHidesATenantsAcknowledgedWriteAndItsDeathCostsReadsNoError() throws Exception {
        StackOptions options = TestStacks.options(TestStacks.newDataDir("replica"), EnumSet.of(Service.INGRESS, Service.WORKER))
                .withPostgresReplica(new StackOptions.PostgresReplica(TestStacks.freePorts(1).get(0), Duration.ofSeconds(DELAY_SECONDS)));
        try (LocalStack stack = LocalStack.start(options, Installation.current(), Progress.stderr())) {
            ReadyLine ready = stack.readyLine();
            assertThat(ready.replicaJdbcUrl()).isEqualTo(LocalPostgres.jdbcUrl(options.postgresReplica().port()));
            StackFile described = StackFile.read(stack.dataDir()).orElseThrow();
            assertThat(described.process(LocalReplica.NAME)).isPresent();
            assertThat(described.ports()).containsEntry(LocalReplica.NAME, options.postgresReplica().port());
            DataSource replica = dataSource(ready.replicaJdbcUrl());
            DataSource primary = dataSource(ready.jdbcUrl());
            assertThat(single(replica, "select pg_is_in_recovery()::text")).isEqualTo("true");
            await().atMost(Duration.ofSeconds(30)).until(() -> "streaming".equals(
                    single(primary, "select state from pg_stat_replication where application_name = 'scimflow_replica'")));
            ScimCalls scim = new ScimCalls(ready);

            // create, then read at once, as Okta and Entra do: the replica is 5 s behind, the answer is not
            List<String> userIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String userName = "user" + i + "@example.com";
                Reply created = scim.createUser(ready.token(), userName);
                assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
                String id = created.body().get("id").asString();
                userIds.add(id);
                Reply read = scim.get(ready.token(), created.location());
                assertThat(read.status()).as("%s", read.body()).isEqualTo(200);
                assertThat(read.body().get("userName").asString()).isEqualTo(userName);
                Reply found = scim.get(ready.token(), filter(ready, "userName eq \"" + userName + "\""));
                assertThat(found.status()).isEqualTo(200);
                assertThat(found.body().get("totalResults").asInt()).isEqualTo(1);
                assertThat(count(replica, id)).as("the replica has not applied the create yet: the primary answered").isZero();
            }
            Reply group = scim.createGroup(ready.token(), "Engineering", userIds.get(0));
            assertThat(group.status()).as("%s", group.body()).isEqualTo(201);
            Reply groupRead = scim.get(ready.token(), group.location());
            assertThat(groupRead.status()).isEqualTo(200);
            assertThat(groupRead.body().get("members").get(0).get("value").asString()).isEqualTo(userIds.get(0));

            // once the replica has replayed them, it serves the tenant's reads
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> count(replica, userIds.get(2)) == 1);
            awaitReadsServedByTheReplica(options, scim, ready, group.location());

            // the replica killed: every read is still answered, by the primary
            ProcessHandle killed = ProcessHandle.of(described.process(LocalReplica.NAME).orElseThrow().pid()).orElseThrow();
            killed.destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).until(() -> !killed.isAlive());
            Reply createdWhileDown = scim.createUser(ready.token(), "down@example.com");
            assertThat(createdWhileDown.status()).as("%s", createdWhileDown.body()).isEqualTo(201);
            String downId = createdWhileDown.body().get("id").asString();
            List<Integer> statuses = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                statuses.add(scim.get(ready.token(), createdWhileDown.location()).status());
                statuses.add(scim.get(ready.token(), filter(ready, "userName eq \"user1@example.com\"")).status());
                statuses.add(scim.get(ready.token(), group.location()).status());
                return StackFile.read(stack.dataDir()).orElseThrow().process(LocalReplica.NAME)
                        .filter(part -> part.restarts() == 1).isPresent();
            });
            assertThat(statuses).as("reads while the replica was down and restarting").isNotEmpty().containsOnly(200);

            // it came back from where it was, and catches up with what was written meanwhile
            assertThat(single(replica, "select pg_is_in_recovery()::text")).isEqualTo("true");
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> count(replica, downId) == 1);
            awaitReadsServedByTheReplica(options, scim, ready, createdWhileDown.location());
        }
        TestStacks.deleteDataDir(options.dataDir());
    }

    /** A read of the tenant's, once more after the replica has replayed its writes, is counted as the replica's. */
    private static void awaitReadsServedByTheReplica(StackOptions options, ScimCalls scim, ReadyLine ready, String url) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            double before = replicaReads(options);
            assertThat(scim.get(ready.token(), url).status()).isEqualTo(200);
            assertThat(replicaReads(options)).isGreaterThan(before);
        });
    }

    private static double replicaReads(StackOptions options) throws Exception {
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + options.ingressPort() + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        return scrape.body().lines()
                .filter(line -> line.startsWith("scimflow_ingress_reads_total{") && line.contains("store=\"replica\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String filter(ReadyLine ready, String filter) {
        return ready.scimBaseUrl() + "/Users?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
    }

    private static DataSource dataSource(String jdbcUrl) {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(LocalPostgres.USER);
        dataSource.setPassword(LocalPostgres.PASSWORD);
        return dataSource;
    }

    private static String single(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); ResultSet result = connection.createStatement().executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        }
    }

    private static int count(DataSource dataSource, String userId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select count(*) from scim.users where id = ?")) {
            statement.setString(1, userId);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }
}
