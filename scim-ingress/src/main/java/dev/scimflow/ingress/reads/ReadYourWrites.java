package dev.scimflow.ingress.reads;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * How far a replica must have replayed for a tenant's read to be served there: at least the WAL position of every
 * write of the tenant whose outcome this instance has seen (the worker reports the position of its commit with each
 * outcome, and every instance reads every outcome), and at least the primary's position when this instance started
 * reading outcomes (which covers every write acknowledged before that, by any instance). Until that starting position
 * is known, no read goes to a replica.
 */
@Component
public class ReadYourWrites {

    private final Map<String, Long> written = new ConcurrentHashMap<>();
    private volatile long floor = Long.MAX_VALUE;

    /** A write of the tenant committed at this WAL position; called before the write is answered. */
    public void written(String tenant, long commitLsn) {
        written.merge(tenant, commitLsn, Math::max);
    }

    /** Every write acknowledged before now (by any instance) is at or before this position of the primary's WAL. */
    void startingFrom(long primaryLsn) {
        floor = primaryLsn;
    }

    boolean started() {
        return floor != Long.MAX_VALUE;
    }

    /** The WAL position a replica must have replayed for a read of this tenant to see all its acknowledged writes. */
    long required(String tenant) {
        return Math.max(floor, written.getOrDefault(tenant, 0L));
    }
}
