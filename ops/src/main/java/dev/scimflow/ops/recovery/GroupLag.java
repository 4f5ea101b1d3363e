package dev.scimflow.ops.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.scimflow.ops.OperatorError;

/** How far a consumer group is behind on a topic: the records between its committed offsets and given ends. */
public final class GroupLag {

    private GroupLag() {
    }

    /** The end offset of each partition of a topic now. */
    public static Map<TopicPartition, Long> ends(Admin admin, String topic) throws ExecutionException, InterruptedException {
        int partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(request).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    /** Records of the topic up to {@code ends} that the group has not committed yet; a partition never committed counts whole. */
    public static long behind(Admin admin, String group, Map<TopicPartition, Long> ends) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> starts = admin.listOffsets(ends.keySet().stream()
                .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.earliest())))
                .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            long position = offset == null ? starts.get(end.getKey()) : offset.offset();
            behind += Math.max(0, end.getValue() - position);
        }
        return behind;
    }

    /** Waits until the group has caught up with {@code ends}; fails after the timeout or when {@code alive} turns false. */
    public static void await(Admin admin, String group, Map<TopicPartition, Long> ends, Duration timeout, BooleanSupplier alive,
                             java.util.function.LongConsumer progress)
            throws ExecutionException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        long last = -1;
        while (true) {
            long behind = behind(admin, group, ends);
            if (behind == 0) {
                return;
            }
            if (behind != last) {
                progress.accept(behind);
                last = behind;
            }
            if (!alive.getAsBoolean()) {
                throw new OperatorError("stopped waiting: the consumer of group " + group + " is gone with " + behind + " records to go");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new OperatorError("group " + group + " is still " + behind + " records behind after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(500);
        }
    }
}
