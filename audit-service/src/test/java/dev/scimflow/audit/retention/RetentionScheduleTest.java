package dev.scimflow.audit.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class RetentionScheduleTest {

    @EnableConfigurationProperties(AuditRetentionProperties.class)
    static class Settings {
    }

    // the job only runs a minute after start, so this never touches a database
    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Settings.class, RetentionSchedule.class)
            .withBean(AuditRetention.class, () -> new AuditRetention(null, null, null, null));

    @Test
    void recordsAreKeptForeverUnlessRetentionIsEnabled() {
        context.run(started -> {
            assertThat(started).doesNotHaveBean(RetentionSchedule.class);
            assertThat(started.getBean(AuditRetentionProperties.class).enabled()).isFalse();
        });
    }

    @Test
    void enabledRetentionRemovesRecordsOlderThanTheConfiguredDaysEveryHourByDefault() {
        context.withPropertyValues("scimflow.audit.retention.enabled=true", "scimflow.audit.retention.days=400").run(started -> {
            assertThat(started).hasSingleBean(RetentionSchedule.class);
            assertThat(started.getBean(AuditRetentionProperties.class).days()).isEqualTo(400);
            assertThat(started.getBean(AuditRetentionProperties.class).interval()).isEqualTo(Duration.ofHours(1));
        });
    }

    @Test
    void enabledRetentionWithoutAPositiveNumberOfDaysStopsTheService() {
        context.withPropertyValues("scimflow.audit.retention.enabled=true").run(started -> assertThat(started).hasFailed());
    }
}
