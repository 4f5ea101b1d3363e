package dev.scimflow.audit.recording;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * How far the audit log trails the user store: for every record appended, the time from the worker committing its
 * change to the record's transaction committing, as {@code scimflow_audit_lag_seconds} (a histogram, so that
 * percentiles can be taken over every instance). A record found already recorded (a redelivery) is not timed again.
 */
@Component
class AuditLag {

    private final Timer lag;
    private final Clock clock;

    @Autowired
    AuditLag(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    AuditLag(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.lag = Timer.builder("scimflow.audit.lag")
                .description("from a deactivation or reactivation being applied to the user store to its audit record committed")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    void recorded(List<DeactivationRecord> appended) {
        for (DeactivationRecord record : appended) {
            Duration behind = Duration.between(record.recordedAt(), clock.instant());
            // clocks of different machines may disagree by a little: never a negative lag
            lag.record(behind.isNegative() ? Duration.ZERO : behind);
        }
    }
}
