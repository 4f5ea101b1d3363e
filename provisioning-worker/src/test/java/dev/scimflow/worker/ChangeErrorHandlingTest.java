package dev.scimflow.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.util.backoff.BackOffExecution;

/** Which failures of a change are retried and how often: transient ones forever, data errors never, others a few times. */
class ChangeErrorHandlingTest {

    @Test
    void aDataErrorOfTheDatabaseIsPoisonAtOnce() {
        var dataError = new DataIntegrityViolationException("insert failed",
                new SQLException("invalid byte sequence for encoding UTF8: 0x00", "22021"));

        assertThat(ChangeErrorHandling.isDataError(dataError)).isTrue();
        assertThat(ChangeErrorHandling.backOffFor(dataError).start().nextBackOff()).isEqualTo(BackOffExecution.STOP);
    }

    @Test
    void otherFailuresKeepTheirRetries() {
        var constraint = new DataIntegrityViolationException("duplicate", new SQLException("duplicate key", "23505"));
        var timeout = new QueryTimeoutException("slow");

        assertThat(ChangeErrorHandling.isDataError(constraint)).isFalse();
        assertThat(ChangeErrorHandling.backOffFor(constraint)).as("the handler's bounded poison retries").isNull();
        assertThat(ChangeErrorHandling.backOffFor(timeout).start().nextBackOff()).isPositive();
    }
}
