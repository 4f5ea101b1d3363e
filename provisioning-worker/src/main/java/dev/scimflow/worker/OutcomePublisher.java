package dev.scimflow.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.scimflow.events.Topics;

/**
 * Publishes the outcome of a change to {@code scim.outcomes}, for the ingress instance waiting on it, without
 * waiting for the broker: the outcome is already recorded in the applied-change table, and an ingress that does not
 * receive it in time reads it from there before answering, so a lost outcome delays an answer but changes none.
 */
@Component
class OutcomePublisher {

    private static final Logger log = LoggerFactory.getLogger(OutcomePublisher.class);

    private final KafkaTemplate<String, byte[]> kafka;

    OutcomePublisher(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    void publish(EncodedOutcome outcome) {
        String changeId = outcome.outcome().changeId().toString();
        kafka.send(Topics.OUTCOMES, changeId, outcome.bytes()).whenComplete((sent, failure) -> {
            if (failure != null) {
                log.warn("outcome of change {} not published ({}); the waiting ingress reads it from the applied-change table",
                        changeId, failure.getMessage());
            }
        });
    }
}
