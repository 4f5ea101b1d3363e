package dev.scimflow.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.scimflow.events.Topics;
import dev.scimflow.ops.recovery.KafkaClients;
import dev.scimflow.ops.stack.TopicPlan;

/**
 * The drills of the production Kafka topology, on the brokers of {@code scimflow up --kafka-brokers 3} as processes
 * (three KRaft nodes, each broker and controller; every topic with replication factor 3 and
 * {@code min.insync.replicas=2}) with the worker and the ingress as processes, and an IdP that retries 503s with the
 * same {@code Idempotency-Key}: the broker that leads {@code scim.changes} partitions killed with SIGKILL in the middle
 * of a write stream, then two of the three brokers down at once. Each drill prints what it measured (the README's
 * deployment section has the figures). The drills share the cluster and run in order, each with a tenant of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaClusterIT {

    /** The README's bound on a write the broker does not take: 5 s for the broker, then 10 s for the worker's outcome. */
    private static final Duration DOCUMENTED_BOUND = Duration.ofSeconds(15);
    /** What this shared 2-core machine may add to it (a JVM pause, the scheduler). */
    private static final Duration SLACK = Duration.ofSeconds(2);

    private static FaultStack stack;

    @BeforeAll
    static void start() {
        stack = new FaultStack("kafka-cluster", 3);
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
    @Order(1)
    void everyTopicHasThreeReplicasAllInSyncAndAWriteNeedsTwo() throws Exception {
        try (Admin admin = KafkaClients.admin(stack.bootstrap)) {
            Map<String, TopicDescription> topics = admin.describeTopics(TopicPlan.SCIMFLOW.stream().map(TopicPlan::name).toList())
                    .allTopicNames().get(10, TimeUnit.SECONDS);
            assertThat(topics.values()).flatExtracting(TopicDescription::partitions).allSatisfy(partition -> {
                assertThat(partition.replicas()).hasSize(3);
                assertThat(partition.isr()).hasSize(3);
            });
            ConfigResource changes = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CHANGES);
            assertThat(admin.describeConfigs(List.of(changes)).all().get(10, TimeUnit.SECONDS).get(changes)
                    .get("min.insync.replicas").value()).isEqualTo("2");
        }
    }

    @Test
    @Order(2)
    void theLeaderOfScimChangesKilledMidStreamLosesNoAcknowledgedWriteAndAppliesNoneTwice() throws Exception {
        String tenant = "election";
        int users = 800;
        RetryingIdp idp = new RetryingIdp(stack.scimBaseUrl("ingress"), stack.newTenant(tenant));
        Stream stream = new Stream(idp, "election", users, 8);
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> stream.created.get() >= 150);

        BrokerProcess leader = leaderOfMostPartitions(Topics.CHANGES);
        Instant killedAt = Instant.now();
        leader.kill();
        int createdAtKill = stream.created.get();
        try (Admin admin = KafkaClients.admin(stack.bootstrap)) {
            Awaitility.await("every partition of scim.changes led by a live broker").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> partitions(admin, Topics.CHANGES).stream()
                            .allMatch(partition -> partition.leader() != null && partition.leader().id() != leader.nodeId()));
        }
        Duration election = Duration.between(killedAt, Instant.now());
        Awaitility.await("writes continue without the killed broker").atMost(Duration.ofMinutes(3))
                .until(() -> stream.created.get() >= Math.min(users, createdAtKill + 150));
        assertThat(leader.isRunning()).as("the writes went on with the leader still dead").isFalse();
        leader.start();
        stream.finish();
        stack.awaitWorkersCaughtUp();
        awaitEveryReplicaInSync();

        Duration longestGap = stream.longestGapBetweenAcknowledgements(killedAt, killedAt.plus(Duration.ofMinutes(1)));
        List<Long> duringElection = stream.latenciesMillis(killedAt, killedAt.plus(election));
        System.out.printf("leader election (node %d killed with %d of %d created): scim.changes led by live brokers %d ms after the kill;"
                + " longest gap in acknowledged writes %d ms; write latency p50 %d ms, p99 %d ms, max %d ms over all %d,"
                + " p99 %d ms over the %d in flight during the election; %d refusals (%s), %d retries%n",
                leader.nodeId(), createdAtKill, users, election.toMillis(), longestGap.toMillis(),
                percentile(stream.latenciesMillis(Instant.MIN, Instant.MAX), 50),
                percentile(stream.latenciesMillis(Instant.MIN, Instant.MAX), 99),
                percentile(stream.latenciesMillis(Instant.MIN, Instant.MAX), 100), users, percentile(duringElection, 99),
                duringElection.size(), idp.refusals.size(), refusalSummary(idp.refusals), idp.retries.get());

        assertThat(createdAtKill).as("the broker was killed in the middle of the stream").isLessThan(users - 150);
        assertThat(idp.refusals).as("the IdP saw the election as 503s").isNotEmpty().allSatisfy(refusal -> {
            assertThat(refusal.status()).isEqualTo(503);
            assertThat(refusal.retryAfter()).as("Retry-After as configured").isEqualTo("5");
            assertThat(refusal.took()).as("within the documented bound").isLessThan(DOCUMENTED_BOUND.plus(SLACK));
        });
        Map<String, String> store = stack.users(stack.dataSource, tenant);
        assertThat(stream.ids).hasSize(users);
        assertThat(store.keySet()).as("every user answered 201 exists, and no other")
                .containsExactlyInAnyOrderElementsOf(stream.ids.values());
        assertThat(store.values()).as("each created once: version 1").allSatisfy(user -> assertThat(user).startsWith("1|"));
        assertThat(appliedChanges(tenant)).as("one applied change per request, however often it was sent").isEqualTo(users);
        assertThat(stack.records(Topics.CHANGES_DLT)).as("nothing dead-lettered for an election").isZero();
    }

    @Test
    @Order(3)
    void withTwoOfThreeBrokersDownWritesAnswer503InTheBoundReadsWorkAndAllResumesWhenOneReturns() throws Exception {
        String tenant = "quorum";
        int users = 300;
        RetryingIdp idp = new RetryingIdp(stack.scimBaseUrl("ingress"), stack.newTenant(tenant));
        String known = idp.create("known@quorum.example", true, "quorum-known");
        Stream stream = new Stream(idp, "quorum", users, 4);
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> stream.created.get() >= 50);

        BrokerProcess second = stack.brokers.get(1);
        BrokerProcess third = stack.brokers.get(2);
        Instant downAt = Instant.now();
        second.kill();
        third.kill();
        int createdAtOutage = stream.created.get();

        Instant asked = Instant.now();
        RetryingIdp.Answer write = idp.send("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"during@quorum.example"}""", "quorum-during",
                Duration.ofSeconds(60));
        Duration writeTook = Duration.between(asked, Instant.now());
        // a write the brokers took before the outage is still answered 201 (from the applied-change table, at the outcome
        // timeout); none begun after it is, while min.insync.replicas cannot be met
        Awaitility.await("no write begun in the outage acknowledged").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
                .until(() -> stream.acknowledgedBegunAfter(downAt) == 0);
        int createdBeforeReturn = stream.created.get();
        asked = Instant.now();
        RetryingIdp.Answer read = idp.send("GET", "/Users/" + known, null, null, Duration.ofSeconds(30));
        Duration readTook = Duration.between(asked, Instant.now());
        RetryingIdp.Answer search = idp.send("GET", "/Users?filter=userName%20eq%20%22known@quorum.example%22", null, null,
                Duration.ofSeconds(30));

        Instant backAt = Instant.now();
        second.start();
        Awaitility.await("writes resume with one broker back").atMost(Duration.ofMinutes(2))
                .until(() -> stream.acknowledgedBegunAfter(downAt) > 0);
        Duration resumedAfter = Duration.between(backAt, Instant.now());
        stream.finish();
        stack.awaitWorkersCaughtUp();
        third.start();
        awaitEveryReplicaInSync();

        long probeApplied = stack.jdbc.sql("select count(*) from scim.users where tenant_id = ? and user_name = ?")
                .params(tenant, "during@quorum.example").query(Long.class).single();
        System.out.printf("two of three brokers down for %d ms: a write answered %d (Retry-After %s) in %d ms, a read %d in %d ms;"
                + " %d creations the brokers had taken before it answered during it, none begun in it; writes resumed %d ms"
                + " after one broker returned; %d refusals (%s), %d retries%n",
                Duration.between(downAt, backAt).toMillis(), write.status(), write.retryAfter(), writeTook.toMillis(), read.status(),
                readTook.toMillis(), createdBeforeReturn - createdAtOutage, resumedAfter.toMillis(), idp.refusals.size(),
                refusalSummary(idp.refusals), idp.retries.get());

        assertThat(write.status()).as("a write the brokers cannot take with two replicas in sync").isEqualTo(503);
        assertThat(write.retryAfter()).isEqualTo("5");
        assertThat(writeTook).as("within the documented bound").isLessThan(DOCUMENTED_BOUND.plus(SLACK));
        assertThat(idp.refusals).allSatisfy(refusal -> assertThat(refusal.took()).isLessThan(DOCUMENTED_BOUND.plus(SLACK)));
        assertThat(read.status()).as("reads keep working").isEqualTo(200);
        assertThat(read.body().get("userName").asString()).isEqualTo("known@quorum.example");
        assertThat(readTook).isLessThan(Duration.ofSeconds(5));
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.body().get("totalResults").asInt()).isEqualTo(1);
        assertThat(stream.ids).hasSize(users);
        assertThat(stack.users(stack.dataSource, tenant).keySet()).as("every user answered 201 exists; the 503'd one at most once")
                .containsAll(stream.ids.values()).contains(known).hasSize(1 + users + (int) probeApplied);
        assertThat(appliedChanges(tenant)).isEqualTo(1 + users + probeApplied);
        assertThat(stack.records(Topics.CHANGES_DLT)).isZero();
    }

    private static long appliedChanges(String tenant) {
        return stack.jdbc.sql("select count(*) from scim.applied_changes where tenant_id = ?").param(tenant).query(Long.class).single();
    }

    /** The broker that leads the most partitions of the topic. */
    private static BrokerProcess leaderOfMostPartitions(String topic) throws Exception {
        try (Admin admin = KafkaClients.admin(stack.bootstrap)) {
            Map<Integer, Long> led = partitions(admin, topic).stream()
                    .collect(Collectors.groupingBy(partition -> partition.leader().id(), Collectors.counting()));
            int node = led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            return stack.brokers.stream().filter(broker -> broker.nodeId() == node).findFirst().orElseThrow();
        }
    }

    private static List<TopicPartitionInfo> partitions(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions();
    }

    /** Until every partition of every topic has its three replicas in sync again, as before a drill. */
    private static void awaitEveryReplicaInSync() {
        try (Admin admin = KafkaClients.admin(stack.bootstrap)) {
            Awaitility.await("every replica in sync").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> admin.describeTopics(TopicPlan.SCIMFLOW.stream().map(TopicPlan::name).toList())
                            .allTopicNames().get(5, TimeUnit.SECONDS).values().stream()
                            .flatMap(topic -> topic.partitions().stream()).allMatch(partition -> partition.isr().size() == 3));
        }
    }

    private static long percentile(List<Long> values, int percentile) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }

    private static String refusalSummary(Collection<RetryingIdp.Refusal> refusals) {
        return refusals.stream().collect(Collectors.groupingBy(refusal -> refusal.status() + " Retry-After " + refusal.retryAfter(),
                Collectors.counting())) + ", the slowest in " + refusals.stream().map(RetryingIdp.Refusal::took)
                        .max(Comparator.naturalOrder()).orElse(Duration.ZERO).toMillis()
                + " ms";
    }

    /** IdP threads creating users, each with its own Idempotency-Key, retrying 5xx until answered; each write timed. */
    private static final class Stream {
        final ConcurrentHashMap<Integer, String> ids = new ConcurrentHashMap<>();
        final AtomicInteger created = new AtomicInteger();
        private final ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
        private final ExecutorService clients;
        private final List<Future<?>> work = new ArrayList<>();

        /** A create from its first attempt to its 201. */
        private record Write(Instant started, Instant acknowledged) {
        }

        Stream(RetryingIdp idp, String prefix, int users, int threads) {
            clients = Executors.newFixedThreadPool(threads);
            for (int thread = 0; thread < threads; thread++) {
                int first = thread;
                work.add(clients.submit(() -> {
                    for (int i = first; i < users; i += threads) {
                        Instant started = Instant.now();
                        ids.put(i, idp.create(prefix + i + "@" + prefix + ".example", true, prefix + "-create-" + i));
                        writes.add(new Write(started, Instant.now()));
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

        /** How many writes whose first attempt was after this time have been acknowledged. */
        long acknowledgedBegunAfter(Instant time) {
            return writes.stream().filter(write -> write.started().isAfter(time)).count();
        }

        /** The latency of each write in flight at some time between from and to. */
        List<Long> latenciesMillis(Instant from, Instant to) {
            return writes.stream().filter(write -> !write.started().isAfter(to) && !write.acknowledged().isBefore(from))
                    .map(write -> Duration.between(write.started(), write.acknowledged()).toMillis()).toList();
        }

        /** The longest time without an acknowledged write that ends between from and to. */
        Duration longestGapBetweenAcknowledgements(Instant from, Instant to) {
            List<Instant> acknowledged = writes.stream().map(Write::acknowledged).sorted().toList();
            Duration longest = Duration.ZERO;
            for (int i = 1; i < acknowledged.size(); i++) {
                Instant end = acknowledged.get(i);
                if (!end.isBefore(from) && !end.isAfter(to)) {
                    Duration gap = Duration.between(acknowledged.get(i - 1), end);
                    longest = gap.compareTo(longest) > 0 ? gap : longest;
                }
            }
            return longest;
        }
    }
}
