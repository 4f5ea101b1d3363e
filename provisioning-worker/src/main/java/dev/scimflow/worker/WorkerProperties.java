package dev.scimflow.worker;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The worker's settings.
 *
 * @param groupId              the consumer group of all worker instances
 * @param publishTimeout       how long the outbox relay waits, when it stops or a send failed, for the sends in flight
 * @param outboxRelayInterval  how often the outbox relay looks for records on its own (it is woken at once by changes
 *                             committed in its instance; this is how soon it sees those of other instances) and a
 *                             standing-by instance tries to become the relay
 * @param poisonRetries        how many times a change that fails for a non-transient reason is retried
 *                             before it goes to {@code scim.changes-dlt}
 */
@ConfigurationProperties("scimflow.worker")
record WorkerProperties(String groupId, Duration publishTimeout, Duration outboxRelayInterval, int poisonRetries) {
}
