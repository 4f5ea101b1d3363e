package dev.scimflow.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.scimflow.ops.recovery.KafkaClients;

/**
 * Two ingress and two worker processes on one broker and one database, under load: the workers split the
 * partitions, each ingress gets the outcomes of the changes it waits for (the other ignores them), and when a worker
 * leaves in the middle of the load the other takes its partitions over without applying anything twice.
 */
class ScaleOutIT {

    private static FaultStack stack;

    @BeforeAll
    static void start() {
        stack = new FaultStack("scale-out");
        // three listener threads each (the default is six, one per partition): six consumers for six partitions, so
        // that each worker is sure to hold some, and the one left must take over the other's
        stack.start("worker-1", "provisioning-worker", Map.of("SPRING_KAFKA_LISTENER_CONCURRENCY", "3"));
        stack.start("worker-2", "provisioning-worker", Map.of("SPRING_KAFKA_LISTENER_CONCURRENCY", "3"));
        stack.startIngress("ingress-1");
        stack.startIngress("ingress-2");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void twoIngressesAndTwoWorkersShareTheLoadAndAWorkerLeavingMidLoadAppliesNothingTwice() throws Exception {
        String token = stack.newTenant("scale");
        List<RetryingIdp> idps = List.of(new RetryingIdp(stack.scimBaseUrl("ingress-1"), token),
                new RetryingIdp(stack.scimBaseUrl("ingress-2"), token));
        Awaitility.await("both workers have partitions").atMost(Duration.ofSeconds(60))
                .until(() -> assignments().size() == 6 && hadPartitions("worker-1") && hadPartitions("worker-2"));

        int users = 600;
        Map<Integer, String> ids = new ConcurrentHashMap<>();
        AtomicInteger created = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<?>> work = new ArrayList<>();
        for (int thread = 0; thread < 6; thread++) {
            int first = thread;
            RetryingIdp idp = idps.get(thread % 2);
            work.add(clients.submit(() -> {
                for (int i = first; i < users; i += 6) {
                    ids.put(i, idp.create("user" + i + "@scale.example", true, "scale-" + i));
                    created.incrementAndGet();
                }
                return null;
            }));
        }
        Awaitility.await().atMost(Duration.ofMinutes(3)).until(() -> created.get() >= 200);
        int retriesWithBothWorkers = idps.get(0).retries.get() + idps.get(1).retries.get();
        stack.stop("worker-2");
        for (Future<?> future : work) {
            future.get();
        }
        clients.shutdown();
        stack.awaitWorkersCaughtUp();

        assertThat(retriesWithBothWorkers).as("every outcome reached the ingress waiting for it: no 503 while both ran").isZero();
        assertThat(assignments()).as("the remaining worker's three consumers took over every partition").hasSize(3);
        Map<String, String> store = stack.users(stack.dataSource, "scale");
        assertThat(store.keySet()).containsExactlyInAnyOrderElementsOf(ids.values());
        assertThat(store.values()).allMatch(user -> user.startsWith("1|"), "every user at version 1: applied once");
        assertThat(stack.jdbc.sql("select count(*) from scim.applied_changes where tenant_id = 'scale'").query(Long.class).single())
                .isEqualTo(users);
    }

    /** The group's consumers that hold partitions of scim.changes (three per worker process). */
    private static List<MemberDescription> assignments() throws Exception {
        try (Admin admin = KafkaClients.admin(stack.broker.bootstrap())) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(FaultStack.WORKER_GROUP)).all().get()
                    .get(FaultStack.WORKER_GROUP);
            return group.members().stream().filter(member -> !member.assignment().topicPartitions().isEmpty()).toList();
        }
    }

    private static boolean hadPartitions(String worker) throws Exception {
        return java.nio.file.Files.readString(java.nio.file.Path.of("target", "faults", worker + ".log"))
                .contains("partitions assigned: [scim.changes");
    }
}
