package dev.scimflow.audit.chain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The chain heads and retention checkpoints of every tenant. Whoever appends to or trims a tenant's chain first
 * locks its head row for the rest of the transaction, so appends from any number of consumers queue up behind
 * each other instead of forking the chain.
 */
@Repository
public class TenantChain {

    private final JdbcClient jdbc;

    TenantChain(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The tenant's newest link, locked until the caller's transaction ends; created at genesis if missing. */
    public ChainHead lockHead(String tenant) {
        ChainHead genesis = ChainHead.genesis(tenant);
        jdbc.sql("insert into audit.chain_heads (tenant, seq, record_hash) values (:tenant, 0, :hash) on conflict do nothing")
                .param("tenant", tenant).param("hash", genesis.recordHash()).update();
        return jdbc.sql("select seq, record_hash from audit.chain_heads where tenant = :tenant for update")
                .param("tenant", tenant)
                .query((rs, row) -> new ChainHead(rs.getLong("seq"), rs.getString("record_hash")))
                .single();
    }

    /** Makes the link the tenant's head; call with the head locked. */
    public void advance(String tenant, ChainLink link) {
        jdbc.sql("update audit.chain_heads set seq = :seq, record_hash = :hash where tenant = :tenant")
                .param("tenant", tenant).param("seq", link.seq()).param("hash", link.recordHash()).update();
    }

    Optional<ChainHead> head(String tenant) {
        return jdbc.sql("select seq, record_hash from audit.chain_heads where tenant = :tenant")
                .param("tenant", tenant)
                .query((rs, row) -> new ChainHead(rs.getLong("seq"), rs.getString("record_hash")))
                .optional();
    }

    /** The last link retention removed, where verification of the tenant's chain starts; none before any removal. */
    public Optional<ChainHead> checkpoint(String tenant) {
        return jdbc.sql("select seq, record_hash from audit.chain_checkpoints where tenant = :tenant")
                .param("tenant", tenant)
                .query((rs, row) -> new ChainHead(rs.getLong("seq"), rs.getString("record_hash")))
                .optional();
    }

    /** The cutoff of the tenant's last retention run: records recorded before it are no longer kept. */
    public Optional<Instant> removedBefore(String tenant) {
        return jdbc.sql("select removed_before from audit.chain_checkpoints where tenant = :tenant")
                .param("tenant", tenant)
                .query((rs, row) -> rs.getObject("removed_before", OffsetDateTime.class).toInstant())
                .optional();
    }

    /** Records that every link up to and including this one was removed as older than {@code removedBefore}. */
    public void checkpoint(String tenant, ChainHead lastRemoved, Instant removedBefore) {
        jdbc.sql("""
                        insert into audit.chain_checkpoints (tenant, seq, record_hash, removed_before, checkpointed_at)
                        values (:tenant, :seq, :hash, :removedBefore, now())
                        on conflict (tenant) do update set seq = excluded.seq, record_hash = excluded.record_hash,
                            removed_before = excluded.removed_before, checkpointed_at = excluded.checkpointed_at""")
                .param("tenant", tenant).param("seq", lastRemoved.seq()).param("hash", lastRemoved.recordHash())
                .param("removedBefore", OffsetDateTime.ofInstant(removedBefore, ZoneOffset.UTC))
                .update();
    }

    /** Every tenant that has a chain, a checkpoint or a record, in name order. */
    public List<String> tenants() {
        return jdbc.sql("""
                        select tenant from audit.chain_heads union select tenant from audit.chain_checkpoints
                        union select distinct tenant from audit.deactivations order by tenant""")
                .query(String.class).list();
    }
}
