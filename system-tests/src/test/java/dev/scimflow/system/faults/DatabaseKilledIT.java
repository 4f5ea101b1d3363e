package dev.scimflow.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.scimflow.ops.Progress;
import dev.scimflow.ops.stack.DataDir;
import dev.scimflow.ops.stack.LocalPostgres;
import dev.scimflow.ops.stack.LocalStack;
import dev.scimflow.ops.stack.ReadyLine;
import dev.scimflow.ops.stack.Service;
import dev.scimflow.ops.stack.StackFile;
import dev.scimflow.ops.stack.StackOptions;
import dev.scimflow.system.DurablePostgres;
import dev.scimflow.system.ServiceJvms;

/**
 * "Nothing acknowledged is lost" when PostgreSQL itself crashes, on the stack exactly as {@code scimflow up} runs it
 * (its defaults, which are durable): an IdP streams creates, eight in flight, each retried after a 5xx or a failed
 * connection until it gets a final answer; PostgreSQL's postmaster is killed with SIGKILL in the middle and the
 * supervisor starts it again; the stream goes on (when the restart is quick, inside the ingress's outcome wait, the IdP
 * sees no error at all). Every user whose create was answered 2xx must exist afterwards, with
 * the id it was answered with and its data, and no user may exist twice. With zonky's defaults (fsync off,
 * {@code synchronous_commit=off}) commits acknowledged just before the kill were lost.
 */
class DatabaseKilledIT {

    private static final int USERS = 600;
    private static final int IN_FLIGHT = 8;
    private static final int ACKNOWLEDGED_BEFORE_THE_KILL = 150;

    @Test
    void everyCreateAcknowledgedAroundAKillOfPostgresExistsAfterwardsOnceWithItsData() throws Exception {
        StackOptions options = options(Path.of("target", "faults", "database-killed-" + ProcessHandle.current().pid()));
        DataDir dataDir = new DataDir(options.dataDir());
        try (LocalStack stack = LocalStack.start(options, ServiceJvms.installation(), Progress.stderr())) {
            ReadyLine ready = stack.readyLine();
            JdbcClient jdbc = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(), ready.jdbcUrl(),
                    LocalPostgres.USER, LocalPostgres.PASSWORD));
            assertThat(DurablePostgres.settings(jdbc)).as("the stack's PostgreSQL as `scimflow up` runs it")
                    .containsEntry("fsync", "on").containsEntry("synchronous_commit", "on").containsEntry("full_page_writes", "on");

            RetryingIdp idp = new RetryingIdp(ready.scimBaseUrl(), ready.token());
            Creates stream = new Creates(idp);
            Awaitility.await("creates acknowledged before the kill").atMost(Duration.ofMinutes(3))
                    .until(() -> stream.acknowledged.size() >= ACKNOWLEDGED_BEFORE_THE_KILL);
            long postmaster = StackFile.read(dataDir).orElseThrow().process("postgres").orElseThrow().pid();
            ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
            int acknowledgedAtTheKill = stream.acknowledged.size();
            Awaitility.await("PostgreSQL restarted by the supervisor").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200)).until(() -> StackFile.read(dataDir)
                            .flatMap(file -> file.process("postgres"))
                            .filter(part -> part.pid() != postmaster && part.restarts() == 1).isPresent());
            stream.finish();

            System.out.printf("database killed after %d of %d creates were acknowledged; %d acknowledged in all, %d answered 409"
                    + " after a retry, %d retries%n", acknowledgedAtTheKill, USERS, stream.acknowledged.size(),
                    stream.conflicts.size(), idp.retries.get());
            // The IdP may see no outage at all: a worker batch that failed with the database is applied again once it
            // is back, within the ingress's outcome wait. What must hold is that the kill fell inside the stream.
            assertThat(acknowledgedAtTheKill).as("the kill fell in the middle of the stream").isLessThan(USERS);
            assertThat(stream.acknowledged.size() + stream.conflicts.size())
                    .as("creates were answered after the restart too").isGreaterThan(acknowledgedAtTheKill);
            Map<String, String> stored = new java.util.HashMap<>();
            jdbc.sql("""
                    select id, user_name || '|' || (document -> 'name' ->> 'givenName') from scim.users
                    where tenant_id = ?""").param(ready.tenant())
                    .query((rs, row) -> stored.put(rs.getString(1), rs.getString(2))).list();
            stream.acknowledged.forEach((userName, id) -> assertThat(stored.get(id)).as("acknowledged user %s (%s)", userName, id)
                    .isEqualTo(userName + "|Given " + userName));
            List<String> userNames = stored.values().stream().map(value -> value.substring(0, value.indexOf('|'))).toList();
            assertThat(userNames).as("no user twice").doesNotHaveDuplicates();
            assertThat(userNames).as("a create answered 409 on a retry was applied by an earlier attempt")
                    .containsAll(stream.conflicts);
            assertThat(stored).as("every create of the stream has a final answer and nothing else was stored")
                    .hasSize(stream.acknowledged.size() + stream.conflicts.size());
        }
        // kept, with its logs, when the test failed
        try (var paths = java.nio.file.Files.walk(options.dataDir())) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** The IdP: {@value #IN_FLIGHT} creates in flight, no Idempotency-Key (Okta and Entra send none). */
    private static final class Creates {
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final List<String> conflicts = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger next = new AtomicInteger();
        private final ExecutorService clients = Executors.newFixedThreadPool(IN_FLIGHT);
        private final List<Future<?>> work = new ArrayList<>();

        Creates(RetryingIdp idp) {
            for (int thread = 0; thread < IN_FLIGHT; thread++) {
                work.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < USERS; i = next.getAndIncrement()) {
                        String userName = "u" + i + "@killed.example";
                        RetryingIdp.Answer answer = idp.write("POST", "/Users", """
                                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",
                                 "name":{"givenName":"Given %s","familyName":"F"},"emails":[{"value":"%s","primary":true}]}"""
                                .formatted(userName, userName, userName), null);
                        if (answer.status() == 201) {
                            acknowledged.put(userName, answer.body().get("id").asString());
                        } else if (answer.status() == 409) {
                            conflicts.add(userName);
                        } else {
                            throw new IllegalStateException("create " + userName + " answered " + answer);
                        }
                    }
                    return null;
                }));
            }
        }

        void finish() throws Exception {
            for (Future<?> future : work) {
                future.get();
            }
            clients.shutdown();
        }
    }

    private static StackOptions options(Path dataDir) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 7; i++) {
                sockets.add(new ServerSocket(0));
            }
            List<Integer> ports = sockets.stream().map(ServerSocket::getLocalPort).toList();
            return new StackOptions(dataDir, ports.get(0), ports.get(1), ports.get(2), ports.get(3), ports.get(4), ports.get(5),
                    "default", null, EnumSet.allOf(Service.class), Duration.ofMinutes(4), ports.get(6));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a probe socket
                }
            }
        }
    }
}
