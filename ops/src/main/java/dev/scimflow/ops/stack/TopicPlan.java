package dev.scimflow.ops.stack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.scimflow.events.Topics;

/**
 * How each of scimflow's topics is created: its partitions (never changed on a live topic, as keying by resource
 * depends on them), its retention, and its replication on a cluster (three replicas, two of them in sync for a write,
 * as the README's deployment section and docker-compose.yml's three-brokers profile have it). Topics that exist are
 * left as they are.
 */
public record TopicPlan(String name, int partitions, long retentionMs) {

    public static final long FOREVER = -1;

    public static final List<TopicPlan> SCIMFLOW = List.of(
            new TopicPlan(Topics.CHANGES, 6, Duration.ofDays(7).toMillis()),
            new TopicPlan(Topics.EVENTS, 6, FOREVER),
            new TopicPlan(Topics.OUTCOMES, 6, Duration.ofHours(1).toMillis()),
            new TopicPlan(Topics.CHANGES_DLT, 6, FOREVER),
            // the request log's way from the ingress to the audit service, which keeps it (bounded) in its schema
            new TopicPlan(Topics.REQUESTS, 6, Duration.ofDays(1).toMillis()));

    public Map<String, String> configs() {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
    }

    public NewTopic newTopic(short replicationFactor) {
        Map<String, String> configs = new java.util.LinkedHashMap<>(configs());
        if (replicationFactor > 1) {
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas(replicationFactor)));
        }
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }

    /** The replicas of each topic on a cluster of this many brokers: three, or all of them on a smaller one. */
    public static short replicationFactor(int brokers) {
        return (short) Math.min(3, brokers);
    }

    /**
     * How many replicas must have a write before it is acknowledged ({@code acks=all}): two of three, so an
     * acknowledged change survives the loss of any one broker, and writes stop (503) rather than rest on one copy.
     */
    public static int minInsyncReplicas(short replicationFactor) {
        return replicationFactor > 1 ? 2 : 1;
    }

    /** Creates the planned topics that do not exist yet; returns the names of those it created. */
    public static List<String> createMissing(Admin admin, List<TopicPlan> plan, short replicationFactor)
            throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        List<TopicPlan> missing = plan.stream().filter(topic -> !existing.contains(topic.name())).toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        try {
            admin.createTopics(missing.stream().map(topic -> topic.newTopic(replicationFactor)).toList()).all().get();
        } catch (ExecutionException e) {
            // another process created one of them in between: that is what we wanted
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        return missing.stream().map(TopicPlan::name).toList();
    }
}
