package dev.scimflow.audit.retention;

import java.time.Clock;
import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/** Runs retention every {@code scimflow.audit.retention.interval}, only when {@code scimflow.audit.retention.enabled}. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnBooleanProperty("scimflow.audit.retention.enabled")
class RetentionSchedule {

    private final AuditRetention retention;
    private final AuditRetentionProperties properties;
    private final Clock clock = Clock.systemUTC();

    RetentionSchedule(AuditRetention retention, AuditRetentionProperties properties) {
        this.retention = retention;
        this.properties = properties;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${scimflow.audit.retention.interval:PT1H}")
    void removeExpiredRecords() {
        retention.removeRecordedBefore(clock.instant().minus(Duration.ofDays(properties.days())));
    }
}
