package dev.scimflow.worker;

import java.util.concurrent.TimeUnit;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.scimflow.events.ChangeOutcome;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.Topics;

/** Publishes the outcome of a change to {@code scim.outcomes}, for the ingress instance waiting on it. */
@Component
class OutcomePublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final WorkerProperties properties;

    OutcomePublisher(KafkaTemplate<String, byte[]> kafka, WorkerProperties properties) {
        this.kafka = kafka;
        this.properties = properties;
    }

    void publish(ChangeOutcome outcome) {
        try {
            kafka.send(Topics.OUTCOMES, outcome.changeId().toString(), EventCodec.encode(outcome))
                    .get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing outcome of " + outcome.changeId(), e);
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not acknowledge the outcome of " + outcome.changeId(), e);
        }
    }
}
