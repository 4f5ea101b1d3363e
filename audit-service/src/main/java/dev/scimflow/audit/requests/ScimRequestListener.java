package dev.scimflow.audit.requests;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.scimflow.events.Topics;

/**
 * Hands each poll of {@code scim.requests} to the request log; the batch's offsets are committed once it is stored.
 * A consumer group of its own, so that the request log and the audit log never wait for each other's rebalances.
 */
@Component
class ScimRequestListener {

    private final RecordScimRequests recordScimRequests;

    ScimRequestListener(RecordScimRequests recordScimRequests) {
        this.recordScimRequests = recordScimRequests;
    }

    @KafkaListener(id = "scim-requests-log", groupId = "${scimflow.audit.request-log.group-id:scimflow-audit-requests}", topics = Topics.REQUESTS, batch = "true", autoStartup = "${scimflow.audit.request-log.enabled:true}")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        recordScimRequests.record(records);
    }
}
