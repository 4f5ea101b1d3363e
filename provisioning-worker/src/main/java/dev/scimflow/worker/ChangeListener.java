package dev.scimflow.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.Topics;

/**
 * Takes changes off {@code scim.changes}: applies each in its own transaction (which also writes its facts to the
 * outbox), then has the facts relayed and the outcome published, neither waited for on this thread. Offsets are
 * committed after each poll's records are applied, so a crash re-delivers at most those, and the applied-change
 * table turns a re-delivery into a re-publication of the same outcome; facts wait in the outbox until published.
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
        outboxRelay.publishSoon();
        outcomes.publish(outcome);
    }
}
