package dev.scimflow.audit.requests;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Keeps the request log bounded: removes the entries older than {@code max-age}, then, tenant by tenant, every entry
 * beyond its newest {@code max-per-tenant}. Runs every {@code prune-interval}; a busy tenant may exceed its count by
 * what it sends in one interval.
 */
@Service
public class RequestLogRetention {

    private static final Logger log = LoggerFactory.getLogger(RequestLogRetention.class);

    private final JdbcClient jdbc;
    private final RequestLogProperties properties;
    private final Clock clock = Clock.systemUTC();

    RequestLogRetention(JdbcClient jdbc, RequestLogProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${scimflow.audit.request-log.prune-interval:PT5M}")
    void pruneOnSchedule() {
        prune(clock.instant());
    }

    /** Removes what is too old at {@code now} or beyond each tenant's count; returns how many entries it removed. */
    public long prune(Instant now) {
        return prune(now, properties.maxAge(), properties.maxPerTenant());
    }

    /** Removes the entries older than {@code maxAge} at {@code now} and those beyond each tenant's newest {@code maxPerTenant}. */
    public long prune(Instant now, Duration maxAge, int maxPerTenant) {
        long removed = jdbc.sql("delete from audit.scim_requests where at < :cutoff")
                .param("cutoff", OffsetDateTime.ofInstant(now.minus(maxAge), ZoneOffset.UTC)).update();
        List<String> tenants = jdbc.sql("select distinct tenant from audit.scim_requests").query(String.class).list();
        for (String tenant : tenants) {
            removed += jdbc.sql("""
                    delete from audit.scim_requests
                     where tenant = :tenant
                       and (at, id) <= (select at, id from audit.scim_requests where tenant = :tenant
                                         order by at desc, id desc offset :keep limit 1)""")
                    .param("tenant", tenant).param("keep", maxPerTenant).update();
        }
        if (removed > 0) {
            log.info("Removed {} request log entries (older than {} or beyond {} per tenant)", removed, maxAge, maxPerTenant);
        }
        return removed;
    }
}
