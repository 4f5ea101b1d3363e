package dev.scimflow.worker;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The worker's settings.
 *
 * @param groupId              the consumer group of all worker instances
 * @param publishTimeout       how long the outbox relay waits for the broker to acknowledge a batch of facts
 * @param outboxRelayInterval  how often to publish what earlier publications left in the outbox
 * @param poisonRetries        how many times a change that fails for a non-transient reason is retried
 *                             before it goes to {@code scim.changes-dlt}
 */
@ConfigurationProperties("scimflow.worker")
record WorkerProperties(String groupId, Duration publishTimeout, Duration outboxRelayInterval, int poisonRetries) {
}
