package dev.scimflow.audit.chain;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Recomputes a tenant's chain from its records alone: from the retention checkpoint (or genesis) record by record
 * in chain order, each content hash from the stored fields and each record hash from the one before, then checks
 * that the chain ends where its head says. Reports the first link that does not hold. Reads one snapshot of the
 * log (repeatable read), so appends and retention running meanwhile cannot make an intact chain look broken.
 */
@Service
public class ChainVerifier {

    private static final int BATCH = 500;

    private final JdbcClient jdbc;
    private final TenantChain chain;

    ChainVerifier(JdbcClient jdbc, TenantChain chain) {
        this.jdbc = jdbc;
        this.chain = chain;
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public ChainVerification verifyAll() {
        return ChainVerification.of(chain.tenants().stream().map(this::walk).toList());
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public ChainVerification verify(String tenant) {
        return ChainVerification.of(List.of(walk(tenant)));
    }

    private ChainReport walk(String tenant) {
        ChainWalk walk = walk(tenant, Long.MAX_VALUE);
        Optional<ChainHead> head = chain.head(tenant);
        if (walk.intact() && !walk.last().equals(head.orElse(walk.start()))) {
            walk.headMismatch(headMismatch(walk.last(), head.orElse(null)));
        }
        return walk.report(tenant, head.orElse(null));
    }

    /**
     * Recomputes the tenant's chain up to and including position {@code lastSeq}, without looking at the head;
     * retention checks the links it is about to remove with this.
     */
    public ChainWalk walk(String tenant, long lastSeq) {
        ChainWalk walk = new ChainWalk(chain.checkpoint(tenant).orElse(null), ChainHead.genesis(tenant));
        while (walk.intact()) {
            List<ChainedRecord> batch = jdbc.sql("select " + ChainedRecord.COLUMNS + """
                     from audit.deactivations
                    where tenant = :tenant and chain_seq > :after and chain_seq <= :lastSeq
                    order by chain_seq limit :batch""")
                    .param("tenant", tenant).param("after", walk.last().seq()).param("lastSeq", lastSeq)
                    .param("batch", BATCH)
                    .query((rs, row) -> ChainedRecord.of(rs)).list();
            batch.forEach(walk::check);
            if (batch.size() < BATCH) {
                break;
            }
        }
        return walk;
    }

    private static BrokenLink headMismatch(ChainHead last, ChainHead head) {
        if (head == null) {
            return new BrokenLink(last.seq(), null, BrokenLink.Kind.HEAD_MISMATCH, "the chain has records but no head");
        }
        String detail = head.seq() > last.seq()
                ? "the chain ends at position %d but its head is at %d: the newest records were removed".formatted(last.seq(), head.seq())
                : "the record at position %d is not the one the head recorded".formatted(last.seq());
        return new BrokenLink(Math.min(last.seq(), head.seq()) + 1, null, BrokenLink.Kind.HEAD_MISMATCH, detail);
    }
}
