package dev.scimflow.audit.retention;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.scimflow.audit.chain.ChainHead;
import dev.scimflow.audit.chain.ChainVerifier;
import dev.scimflow.audit.chain.ChainWalk;
import dev.scimflow.audit.chain.TenantChain;

/**
 * Removes old audit records without breaking their chains. Only the oldest part of a chain can go: per tenant,
 * every record before the first one that is still to be kept. So a record appended late with an old time stays
 * until everything before it is old enough too. The links about to be removed are verified first, then the last
 * of them becomes the tenant's checkpoint, where verification starts from then on. A broken chain is left as it
 * is, so that retention can never wash away the evidence of tampering.
 */
@Service
public class AuditRetention {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final JdbcClient jdbc;
    private final TenantChain chain;
    private final ChainVerifier verifier;
    private final TransactionTemplate transaction;

    AuditRetention(JdbcClient jdbc, TenantChain chain, ChainVerifier verifier, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.chain = chain;
        this.verifier = verifier;
        this.transaction = transaction;
    }

    /** Removes, tenant by tenant, the records recorded before {@code cutoff}; returns how many were removed. */
    public long removeRecordedBefore(Instant cutoff) {
        long removed = 0;
        for (String tenant : chain.tenants()) {
            removed += removeRecordedBefore(tenant, cutoff);
        }
        return removed;
    }

    /** Removes the tenant's records recorded before {@code cutoff}, in one transaction; returns how many. */
    public long removeRecordedBefore(String tenant, Instant cutoff) {
        return transaction.execute(status -> removeFromChain(tenant, cutoff));
    }

    private long removeFromChain(String tenant, Instant cutoff) {
        ChainHead head = chain.lockHead(tenant);
        long firstKept = jdbc.sql("""
                select coalesce(min(chain_seq), :afterHead) from audit.deactivations
                 where tenant = :tenant and recorded_at >= :cutoff""")
                .param("afterHead", head.seq() + 1).param("tenant", tenant)
                .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC)).query(Long.class).single();
        long lastRemoved = firstKept - 1;
        long checkpointed = chain.checkpoint(tenant).map(ChainHead::seq).orElse(0L);
        if (lastRemoved <= checkpointed) {
            return 0;
        }
        ChainWalk walk = verifier.walk(tenant, lastRemoved);
        if (!walk.intact() || walk.last().seq() != lastRemoved) {
            log.error("Not removing audit records of tenant {}: its chain is broken at position {} ({}); run the chain verification",
                    tenant, walk.intact() ? walk.last().seq() + 1 : walk.broken().seq(),
                    walk.intact() ? "records missing" : walk.broken().detail());
            return 0;
        }
        chain.checkpoint(tenant, walk.last(), cutoff);
        int removed = jdbc.sql("delete from audit.deactivations where tenant = :tenant and chain_seq <= :lastRemoved")
                .param("tenant", tenant).param("lastRemoved", lastRemoved).update();
        log.info("Removed {} audit records of tenant {} recorded before {}; its chain now starts after position {}",
                removed, tenant, cutoff, lastRemoved);
        return removed;
    }
}
