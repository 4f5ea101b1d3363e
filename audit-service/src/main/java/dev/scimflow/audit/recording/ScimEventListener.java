package dev.scimflow.audit.recording;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.scimflow.events.Topics;

/**
 * Hands every {@code scim.events} record to the audit log; the offset is committed once that returned. The
 * consumer group is {@code spring.kafka.consumer.group-id}, not the listener id.
 */
@Component
class ScimEventListener {

    private final RecordDeactivation recordDeactivation;

    ScimEventListener(RecordDeactivation recordDeactivation) {
        this.recordDeactivation = recordDeactivation;
    }

    @KafkaListener(id = "scim-events-audit", idIsGroup = false, topics = Topics.EVENTS)
    void on(ConsumerRecord<String, byte[]> record) {
        recordDeactivation.apply(ScimEventDecoder.decode(record.value()));
    }
}
