package dev.scimflow.audit.requests;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much of the tenants' request logs is kept: entries older than {@code maxAge}, and beyond the newest
 * {@code maxPerTenant} of a tenant, are removed every {@code pruneInterval}.
 *
 * @param enabled       false: {@code scim.requests} is not read
 * @param maxAge        how long an entry is kept at most
 * @param maxPerTenant  how many entries of one tenant are kept at most
 * @param pruneInterval how often the log is pruned
 */
@ConfigurationProperties("scimflow.audit.request-log")
public record RequestLogProperties(@DefaultValue("true") boolean enabled, @DefaultValue("7d") Duration maxAge,
                                   @DefaultValue("10000") int maxPerTenant, @DefaultValue("5m") Duration pruneInterval) {

    public RequestLogProperties {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("scimflow.audit.request-log.max-age must be positive");
        }
        if (maxPerTenant < 1) {
            throw new IllegalArgumentException("scimflow.audit.request-log.max-per-tenant must be at least 1");
        }
    }
}
