package dev.scimflow.audit.recording;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.scimflow.events.Topics;

/**
 * Hands each poll of {@code scim.events} records to the audit log; the batch's offsets are committed once that
 * returned, i.e. after its transaction committed. The consumer group is {@code spring.kafka.consumer.group-id}, not
 * the listener id; the number of consumer threads is {@code spring.kafka.listener.concurrency} (one by default).
 */
@Component
class ScimEventListener {

    private final RecordEventBatch recordEventBatch;

    ScimEventListener(RecordEventBatch recordEventBatch) {
        this.recordEventBatch = recordEventBatch;
    }

    @KafkaListener(id = EventTracing.LISTENER_ID, idIsGroup = false, topics = Topics.EVENTS, batch = "true")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        recordEventBatch.record(records);
    }
}
