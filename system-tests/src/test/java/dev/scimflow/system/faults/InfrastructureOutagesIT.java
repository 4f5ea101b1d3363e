package dev.scimflow.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.scimflow.events.Topics;
import dev.scimflow.system.DurablePostgres;

/**
 * The pipeline through outages of what it stands on: the database refusing connections for a while (the worker
 * stalls and resumes, skipping nothing; the ingress answers with SCIM errors, never hangs) and the broker stopped
 * and started again during writes (no 2xx answer is lost; the IdP retries the 503s).
 */
class InfrastructureOutagesIT {

    private static FaultStack stack;

    @BeforeAll
    static void start() {
        stack = new FaultStack("outages");
        stack.startWorker("worker");
        stack.startIngress("ingress");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theFaultStacksDatabaseCommitsDurably() {
        assertThat(DurablePostgres.settings(stack.jdbc))
                .containsEntry("fsync", "on").containsEntry("synchronous_commit", "on").containsEntry("full_page_writes", "on");
    }

    @Test
    void whileTheDatabaseRefusesConnectionsTheWorkerStallsThenResumesWithoutSkippingAndTheIngressAnswersWithScimErrors()
            throws Exception {
        String tenant = "db-outage";
        RetryingIdp idp = new RetryingIdp(stack.scimBaseUrl("ingress"), stack.newTenant(tenant));
        String known = idp.create("known@db.example", true, "db-known");
        Stream stream = new Stream(idp, "db", 300);
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> stream.created.get() >= 50);

        JdbcClient admin = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(),
                stack.database.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/postgres$1"), stack.database.username(),
                stack.database.password()));
        String name = stack.database.jdbcUrl().replaceFirst(".*/([^/?]+)(\\?.*)?$", "$1");
        admin.sql("alter database " + name + " allow_connections false").update();
        admin.sql("select pg_terminate_backend(pid) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()")
                .param(name).query().listOfRows();
        int createdAtOutage = stream.created.get();
        Instant askedAt = Instant.now();
        RetryingIdp.Answer read = idp.send("GET", "/Users/" + known, null, null, Duration.ofSeconds(60));
        Duration readTook = Duration.between(askedAt, Instant.now());
        RetryingIdp.Answer write = idp.send("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"during@db.example"}""", "db-during",
                Duration.ofSeconds(60));
        Awaitility.await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        int createdDuringOutage = stream.created.get() - createdAtOutage;
        admin.sql("alter database " + name + " allow_connections true").update();
        stream.finish();
        stack.awaitWorkersCaughtUp();

        System.out.printf("database outage: read answered %d in %d ms, write %d; %d creations answered during it, %d retries%n",
                read.status(), readTook.toMillis(), write.status(), createdDuringOutage, idp.retries.get());
        assertThat(read.status()).as("a read is answered 503, a transient outage, with a SCIM error").isEqualTo(503);
        assertThat(read.body().get("schemas").toString()).contains("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(readTook).as("within the ingress's connection timeout (5 s), not Hikari's 30 s").isLessThan(Duration.ofSeconds(15));
        assertThat(write.status()).as("a write cannot finish: 503").isEqualTo(503);
        long acceptedDuringOutage = stack.jdbc.sql("select count(*) from scim.users where tenant_id = ? and user_name = ?")
                .params(tenant, "during@db.example").query(Long.class).single();
        assertThat(stack.users(stack.dataSource, tenant).keySet()).as("every change is applied, none skipped")
                .containsAll(stream.ids.values()).contains(known).hasSize(1 + 300 + (int) acceptedDuringOutage);
        assertThat(stream.ids).hasSize(300);
        assertThat(stack.records(Topics.CHANGES_DLT)).as("nothing was dead-lettered for an outage").isZero();
    }

    @Test
    void whenTheBrokerStopsAndStartsDuringWritesNoAcknowledgedChangeIsLost() throws Exception {
        String tenant = "broker-restart";
        RetryingIdp idp = new RetryingIdp(stack.scimBaseUrl("ingress"), stack.newTenant(tenant));
        Stream stream = new Stream(idp, "broker", 400);
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> stream.created.get() >= 80);
        stack.broker.stop();
        int retriesBefore = idp.retries.get();
        // with the broker down the ingress answers 503: a request the broker did not take within the producer's delivery
        // timeout (5 s), or one taken just before the stop whose outcome cannot come back within the outcome timeout (10 s)
        Awaitility.await("with the broker down the ingress answers 503").atMost(Duration.ofSeconds(30))
                .until(() -> idp.retries.get() > retriesBefore);
        stack.broker.start();
        stream.finish();
        stack.awaitWorkersCaughtUp();

        assertThat(stack.users(stack.dataSource, tenant).keySet()).as("every user answered 201 exists")
                .containsExactlyInAnyOrderElementsOf(stream.ids.values());
        assertThat(stream.ids).hasSize(400);
        assertThat(stack.jdbc.sql("select count(*) from scim.applied_changes where tenant_id = ?").param(tenant).query(Long.class).single())
                .isEqualTo(400);
    }

    /** Four IdP threads creating users, each with its own Idempotency-Key, retrying 5xx until answered. */
    private static final class Stream {
        final ConcurrentHashMap<Integer, String> ids = new ConcurrentHashMap<>();
        final AtomicInteger created = new AtomicInteger();
        private final ExecutorService clients = Executors.newFixedThreadPool(4);
        private final List<Future<?>> work = new ArrayList<>();

        Stream(RetryingIdp idp, String prefix, int users) {
            for (int thread = 0; thread < 4; thread++) {
                int first = thread;
                work.add(clients.submit(() -> {
                    for (int i = first; i < users; i += 4) {
                        ids.put(i, idp.create(prefix + i + "@" + prefix + ".example", true, prefix + "-create-" + i));
                        created.incrementAndGet();
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

}
