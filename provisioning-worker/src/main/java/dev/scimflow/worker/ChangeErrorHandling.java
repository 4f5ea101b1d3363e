package dev.scimflow.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.NonTransientDataAccessResourceException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

import dev.scimflow.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.core.JacksonException;

/**
 * What happens when a change cannot be applied. Transient failures (database or broker unreachable) are
 * retried with back-off for as long as they last, so that nothing is ever skipped. Anything else is a poison
 * change: retried a bounded number of times, then published to {@code scim.changes-dlt} for an operator, so
 * that it never blocks its partition. An undecodable record, and a change whose data the database refuses (SQLSTATE
 * class 22), go there at once.
 */
@Configuration(proxyBeanMethods = false)
class ChangeErrorHandling {

    private static final Logger log = LoggerFactory.getLogger(ChangeErrorHandling.class);

    @Bean
    DefaultErrorHandler changeErrorHandler(KafkaTemplate<String, byte[]> kafka, WorkerProperties properties,
                                           ObjectProvider<MeterRegistry> meters) {
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
                (record, e) -> new TopicPartition(Topics.CHANGES_DLT, -1)) {
            @Override
            // the error handler calls this three-argument form; the two-argument one only delegates to it
            public void accept(ConsumerRecord<?, ?> record, org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                               Exception exception) {
                log.error(
                        "poison change at {}-{}@{} (key {}) sent to {} (data errors at once, others after retries): {}; fix the cause, then `scimflow dlt list`"
                                + " shows it and `scimflow dlt redrive` re-publishes it",
                        record.topic(),
                        record.partition(), record.offset(), record.key(), Topics.CHANGES_DLT, rootMessage(exception));
                super.accept(record, consumer, exception);
                // alert on any increase: `scimflow dlt list` shows the change and its error, `scimflow dlt redrive` sends it back
                Counter.builder("scimflow.changes.dead.lettered").description("Changes sent to " + Topics.CHANGES_DLT)
                        .tag("exception", rootCause(exception).getClass().getSimpleName()).register(registry).increment();
            }
        };
        DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, poisonBackOff(properties.poisonRetries()));
        handler.setBackOffFunction((record, e) -> backOffFor(e));
        handler.addNotRetryableExceptions(JacksonException.class);
        return handler;
    }

    /**
     * How a failed change is retried: a transient failure for as long as it lasts, a data error not at all; null for
     * the handler's bounded poison retries.
     */
    static BackOff backOffFor(Exception e) {
        if (isTransient(e)) {
            return transientBackOff();
        }
        return isDataError(e) ? NO_RETRIES : null;
    }

    /** A data error is poison at once: retrying the same values can only fail the same way. */
    private static final BackOff NO_RETRIES = new FixedBackOff(0, 0);

    /**
     * True when the database refused the change's data itself (SQLSTATE class 22: a string it cannot hold, a value out
     * of range...): the same change fails the same way every time, so it goes to {@code scim.changes-dlt} without the
     * poison retries that would hold up its partition.
     */
    static boolean isDataError(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    static boolean isTransient(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransientDataAccessException || cause instanceof CannotGetJdbcConnectionException
                    || cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
                    || cause instanceof org.apache.kafka.common.errors.RetriableException
                    || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof java.sql.SQLTransientException
                    || cause instanceof java.sql.SQLRecoverableException
                    || cause instanceof java.net.ConnectException) {
                return !(cause instanceof NonTransientDataAccessResourceException);
            }
        }
        return false;
    }

    private static BackOff transientBackOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        return backOff;
    }

    private static BackOff poisonBackOff(int retries) {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxAttempts(retries);
        return backOff;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = rootCause(e);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }
}
