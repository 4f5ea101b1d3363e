package dev.scimflow.ssf.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import dev.scimflow.events.Topics;
import dev.scimflow.ssf.SsfException;

/**
 * Readers of {@code scim.events} without a consumer group: each stream positions its own reader at its own offsets, so
 * that its position in Kafka is exactly what it has delivered. Also answers where the topic ends, for a new stream.
 */
@Component
public class EventsTopic implements DisposableBean {

    private final ConsumerFactory<String, byte[]> factory;
    private Consumer<String, byte[]> metadata;

    EventsTopic(ConsumerFactory<String, byte[]> factory) {
        this.factory = factory;
    }

    /** A new reader, assigned nothing yet; the caller closes it. */
    public Consumer<String, byte[]> newReader(String purpose) {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return factory.createConsumer(null, "scimflow-events-" + purpose, null, overrides);
    }

    public static List<TopicPartition> partitions(Consumer<?, ?> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException(Topics.EVENTS + " does not exist");
        }
        return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    /** The end offset of every partition now: where a new stream starts. */
    public synchronized Map<Integer, Long> ends() {
        try {
            if (metadata == null) {
                metadata = newReader("metadata");
            }
            List<TopicPartition> partitions = partitions(metadata);
            if (!metadata.assignment().containsAll(partitions)) {
                metadata.assign(partitions);
            }
            Map<Integer, Long> ends = new TreeMap<>();
            metadata.endOffsets(partitions, Duration.ofSeconds(10)).forEach((partition, offset) -> ends.put(partition.partition(), offset));
            return ends;
        } catch (RuntimeException e) {
            throw new SsfException(503, "temporarily_unavailable", "the event log cannot be reached; retry later");
        }
    }

    @Override
    public synchronized void destroy() {
        if (metadata != null) {
            metadata.close(Duration.ofSeconds(2));
        }
    }
}
