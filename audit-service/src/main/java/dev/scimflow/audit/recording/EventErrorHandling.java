package dev.scimflow.audit.recording;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * What happens when an event cannot be recorded. An undecodable record is logged with its coordinates and
 * skipped at once; a row the database rejects is retried a few times, then logged and skipped; anything
 * else (database or network down) is retried without end, backing off to 30 s, so no deactivation is lost.
 *
 * <p>The listener takes batches; {@link RecordEventBatch} names the one record that failed with a
 * {@code BatchListenerFailedException} once the records before it are recorded, and this handler then commits the
 * offsets before it, retries or skips that record as above, and has the rest of the batch delivered again. The listener
 * throws nothing else; if it did, Spring Kafka's fallback would deliver the whole batch again with the same unbounded
 * back-off, which never runs out, so even then no batch would be skipped.
 */
@Configuration(proxyBeanMethods = false)
class EventErrorHandling {

    private static final Logger log = LoggerFactory.getLogger(EventErrorHandling.class);

    @Bean
    DefaultErrorHandler scimEventErrorHandler() {
        DefaultErrorHandler handler = new DefaultErrorHandler(EventErrorHandling::skip, untilRecorded());
        handler.addNotRetryableExceptions(UndecodableEvent.class);
        handler.setBackOffFunction((record, exception) -> rejectedByDatabase(exception) ? new FixedBackOff(1_000, 3) : null);
        handler.setRetryListeners((record, exception, attempt) -> log.warn(
                "Could not record scim.events record: topic={} partition={} offset={} (attempt {}): {}", record.topic(),
                record.partition(), record.offset(), attempt, NestedExceptionUtils.getMostSpecificCause(exception).toString()));
        return handler;
    }

    private static ExponentialBackOff untilRecorded() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        return backOff;
    }

    private static boolean rejectedByDatabase(Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataIntegrityViolationException) {
                return true;
            }
        }
        return false;
    }

    static void skip(ConsumerRecord<?, ?> record, Exception exception) {
        log.error("Skipping scim.events record that can never be recorded: topic={} partition={} offset={} key={}: {}",
                record.topic(), record.partition(), record.offset(), record.key(),
                NestedExceptionUtils.getMostSpecificCause(exception).toString());
    }
}
