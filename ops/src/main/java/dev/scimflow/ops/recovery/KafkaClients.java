package dev.scimflow.ops.recovery;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.scimflow.ops.OperatorError;

/**
 * The Kafka clients of the recovery commands: an admin client, a group-less reader, a producer with acks=all; each with
 * the client settings of the command's {@link KafkaConnection} (--kafka-config).
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    public static Admin admin(String bootstrap) {
        return admin(KafkaConnection.plain(bootstrap));
    }

    public static Admin admin(KafkaConnection kafka) {
        return Admin.create(adminConfig(kafka));
    }

    static Map<String, Object> adminConfig(KafkaConnection kafka) {
        return kafka.clientConfig(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000));
    }

    public static KafkaConsumer<byte[], byte[]> reader(String bootstrap) {
        return reader(KafkaConnection.plain(bootstrap));
    }

    /** A consumer in no group: it assigns partitions itself and commits nothing. */
    public static KafkaConsumer<byte[], byte[]> reader(KafkaConnection kafka) {
        return new KafkaConsumer<>(readerConfig(kafka), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Map<String, Object> readerConfig(KafkaConnection kafka) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 50 * 1024 * 1024);
        // one partition at a time is read in fetches of up to this much (readPartitions)
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // it reads what is there, up to ends it knows: a fetch the broker holds back waiting for more records (at a
        // partition's end, and the one sent ahead before the next partition is assigned) only delays the next request on
        // the connection, for the position of the next partition (500 ms a partition by default: 2.1 s of a 7.4 s
        // rebuild of 100,000 users)
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        return kafka.clientConfig(properties);
    }

    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return producer(KafkaConnection.plain(bootstrap));
    }

    public static KafkaProducer<byte[], byte[]> producer(KafkaConnection kafka) {
        return new KafkaProducer<>(producerConfig(kafka), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static Map<String, Object> producerConfig(KafkaConnection kafka) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return kafka.clientConfig(properties);
    }

    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new OperatorError("topic " + topic + " does not exist on this broker");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /**
     * Reads every record of a topic that is there now, partition by partition in offset order within each
     * partition; records written while reading are not read. Returns how many were read.
     */
    public static long readAll(KafkaConsumer<byte[], byte[]> consumer, String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        long read = 0;
        Map<TopicPartition, Long> remaining = new HashMap<>();
        ends.forEach((partition, end) -> {
            if (consumer.position(partition) < end) {
                remaining.put(partition, end);
            }
        });
        consumer.pause(partitions.stream().filter(partition -> !remaining.containsKey(partition)).toList());
        while (!remaining.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                Long end = remaining.get(partition);
                if (end == null || record.offset() >= end) {
                    continue;
                }
                each.accept(record);
                read++;
            }
            for (TopicPartition partition : List.copyOf(remaining.keySet())) {
                if (consumer.position(partition) >= remaining.get(partition)) {
                    remaining.remove(partition);
                    consumer.pause(List.of(partition));
                }
            }
        }
        return read;
    }

    /**
     * Reads every record of a topic that is there now, one partition after the other (in partition order, each in offset
     * order), and tells {@code partitionRead} when a partition has been read to its end: after that, nothing more of that
     * partition comes. Records written while reading are not read. Returns how many were read.
     */
    public static long readPartitions(KafkaConsumer<byte[], byte[]> consumer, String topic,
                                      Consumer<ConsumerRecord<byte[], byte[]>> each, Consumer<TopicPartition> partitionRead) {
        return readPartitions(consumer, ends(consumer, topic), each, partitionRead);
    }

    /** The end offset of each partition of the topic now: where what is there now ends. */
    public static Map<TopicPartition, Long> ends(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.endOffsets(partitions(consumer, topic));
    }

    /** As {@link #readPartitions(KafkaConsumer, String, Consumer, Consumer)}, up to these ends. */
    public static long readPartitions(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends,
                                      Consumer<ConsumerRecord<byte[], byte[]>> each, Consumer<TopicPartition> partitionRead) {
        List<TopicPartition> partitions = ends.keySet().stream()
                .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
        long read = 0;
        for (TopicPartition partition : partitions) {
            long end = ends.get(partition);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end) {
                        each.accept(record);
                        read++;
                    }
                }
            }
            partitionRead.accept(partition);
        }
        consumer.assign(List.of());
        return read;
    }

    /**
     * Reads the records from {@code from} (each partition's next offset to read) up to {@code to}, all partitions at once,
     * each in offset order. Returns how many were read.
     */
    public static long readBetween(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> from,
                                   Map<TopicPartition, Long> to, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<TopicPartition, Long> remaining = new HashMap<>();
        to.forEach((partition, end) -> {
            if (from.getOrDefault(partition, 0L) < end) {
                remaining.put(partition, end);
            }
        });
        if (remaining.isEmpty()) {
            return 0;
        }
        consumer.assign(List.copyOf(remaining.keySet()));
        consumer.resume(consumer.paused());
        remaining.keySet().forEach(partition -> consumer.seek(partition, from.getOrDefault(partition, 0L)));
        long read = 0;
        while (!remaining.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                Long end = remaining.get(new TopicPartition(record.topic(), record.partition()));
                if (end != null && record.offset() < end) {
                    each.accept(record);
                    read++;
                }
            }
            for (TopicPartition partition : List.copyOf(remaining.keySet())) {
                if (consumer.position(partition) >= remaining.get(partition)) {
                    remaining.remove(partition);
                    consumer.pause(List.of(partition));
                }
            }
        }
        consumer.assign(List.of());
        return read;
    }
}
