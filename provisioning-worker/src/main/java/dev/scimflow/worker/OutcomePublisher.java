package dev.scimflow.worker;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.scimflow.events.OutcomeHeaders;
import dev.scimflow.events.Topics;

/**
 * Publishes the outcome of a change to {@code scim.outcomes}, for the ingress instance waiting on it, without
 * waiting for the broker: the outcome is already recorded in the applied-change table, and an ingress that does not
 * receive it in time reads it from there before answering, so a lost outcome delays an answer but changes none. Each
 * outcome carries its tenant and the WAL position of the commit that applied it ({@link OutcomeHeaders}), for the
 * ingress's reads from a replica.
 */
@Component
class OutcomePublisher {

    private static final Logger log = LoggerFactory.getLogger(OutcomePublisher.class);

    private final KafkaTemplate<String, byte[]> kafka;

    OutcomePublisher(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    void publish(EncodedOutcome outcome, long commitLsn) {
        String changeId = outcome.outcome().changeId().toString();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.OUTCOMES, changeId, outcome.bytes());
        OutcomeHeaders.write(outcome.outcome(), commitLsn, record.headers());
        kafka.send(record).whenComplete((sent, failure) -> {
            if (failure != null) {
                log.warn("outcome of change {} not published ({}); the waiting ingress reads it from the applied-change table",
                        changeId, failure.getMessage());
            }
        });
    }
}
