package dev.scimflow.audit.chain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
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

    /**
     * The newest links of several tenants, each locked until the caller's transaction ends; heads missing are created at
     * genesis. Every transaction that holds more than one head takes them through here, in one order (the tenant names'
     * byte order, the same in every database), so that two of them can never wait for each other in a cycle: consumer
     * threads and instances whose batches share tenants queue up instead of deadlocking. (A transaction holding one
     * head, as {@link #lockHead} and retention do, cannot close a cycle either.)
     */
    public SortedMap<String, ChainHead> lockHeads(Collection<String> tenants) {
        String[] names = tenants.stream().distinct().toArray(String[]::new);
        String[] genesis = Arrays.stream(names).map(tenant -> ChainHead.genesis(tenant).recordHash()).toArray(String[]::new);
        // New heads are inserted in that order too: an insert waits for another transaction's insert of the same tenant,
        // so those waits follow the order as well.
        jdbc.sql("""
                insert into audit.chain_heads (tenant, seq, record_hash)
                select tenant, 0, record_hash from unnest(:tenants, :genesis) as head (tenant, record_hash)
                 order by tenant collate "C"
                on conflict do nothing""")
                .param("tenants", new SqlArrayValue("text", (Object[]) names))
                .param("genesis", new SqlArrayValue("text", (Object[]) genesis))
                .update();
        SortedMap<String, ChainHead> heads = new TreeMap<>();
        jdbc.sql("""
                select tenant, seq, record_hash from audit.chain_heads where tenant = any(:tenants)
                 order by tenant collate "C" for update""")
                .param("tenants", new SqlArrayValue("text", (Object[]) names))
                .query((rs, row) -> Map.entry(rs.getString("tenant"), new ChainHead(rs.getLong("seq"), rs.getString("record_hash"))))
                .list()
                .forEach(head -> heads.put(head.getKey(), head.getValue()));
        return heads;
    }

    /** Makes the link the tenant's head; call with the head locked. */
    public void advance(String tenant, ChainLink link) {
        jdbc.sql("update audit.chain_heads set seq = :seq, record_hash = :hash where tenant = :tenant")
                .param("tenant", tenant).param("seq", link.seq()).param("hash", link.recordHash()).update();
    }

    /** Makes each link its tenant's head, in one statement; call with the heads locked. */
    public void advance(Map<String, ChainLink> links) {
        if (links.isEmpty()) {
            return;
        }
        String[] tenants = links.keySet().toArray(String[]::new);
        jdbc.sql("""
                update audit.chain_heads head set seq = link.seq, record_hash = link.record_hash
                  from unnest(:tenants, :seqs, :hashes) as link (tenant, seq, record_hash)
                 where head.tenant = link.tenant""")
                .param("tenants", new SqlArrayValue("text", (Object[]) tenants))
                .param("seqs", new SqlArrayValue("int8", Arrays.stream(tenants).map(tenant -> links.get(tenant).seq()).toArray()))
                .param("hashes", new SqlArrayValue("text", Arrays.stream(tenants).map(tenant -> links.get(tenant).recordHash()).toArray()))
                .update();
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

    /** The cutoffs of the last retention runs of these tenants; tenants without one are not in the map. */
    public Map<String, Instant> removedBefore(Collection<String> tenants) {
        Map<String, Instant> cutoffs = new HashMap<>();
        jdbc.sql("select tenant, removed_before from audit.chain_checkpoints where tenant = any(:tenants)")
                .param("tenants", new SqlArrayValue("text", tenants.stream().distinct().toArray()))
                .query((rs, row) -> Map.entry(rs.getString("tenant"), rs.getObject("removed_before", OffsetDateTime.class).toInstant()))
                .list()
                .forEach(cutoff -> cutoffs.put(cutoff.getKey(), cutoff.getValue()));
        return cutoffs;
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
