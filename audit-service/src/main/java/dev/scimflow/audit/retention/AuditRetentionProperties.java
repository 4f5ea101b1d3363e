package dev.scimflow.audit.retention;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long audit records are kept. Off by default: records are kept forever. When enabled, records whose change
 * was recorded more than {@code days} days ago are removed every {@code interval}.
 */
@ConfigurationProperties("scimflow.audit.retention")
public record AuditRetentionProperties(boolean enabled, int days, Duration interval) {

    public AuditRetentionProperties {
        if (enabled && days < 1) {
            throw new IllegalArgumentException("scimflow.audit.retention.days must be at least 1 when retention is enabled");
        }
        interval = interval == null ? Duration.ofHours(1) : interval;
    }
}
