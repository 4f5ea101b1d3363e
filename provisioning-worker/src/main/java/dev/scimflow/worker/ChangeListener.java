package dev.scimflow.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.Topics;

/**
 * Takes changes off {@code scim.changes}: applies each in its own transaction, then publishes its facts and
 * its outcome. The offset is committed only after all three, so a crash anywhere re-delivers the change, and
 * the applied-change table turns the re-delivery into a re-publication of the same outcome.
 */
@Component
class ChangeListener {

    private final ApplyChange applyChange;
    private final OutboxRelay outboxRelay;
    private final OutcomePublisher outcomes;

    ChangeListener(ApplyChange applyChange, OutboxRelay outboxRelay, OutcomePublisher outcomes) {
        this.applyChange = applyChange;
        this.outboxRelay = outboxRelay;
        this.outcomes = outcomes;
    }

    @KafkaListener(topics = Topics.CHANGES, groupId = "${scimflow.worker.group-id}")
    void onChange(ConsumerRecord<String, byte[]> record) {
        ChangeOutcome outcome = applyChange.apply(EventCodec.change(record.value()));
        outboxRelay.publishPending();
        outcomes.publish(outcome);
    }
}
