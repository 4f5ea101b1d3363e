package dev.scimflow.audit.recording;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.scimflow.audit.chain.ChainHead;
import dev.scimflow.audit.chain.ChainLink;
import dev.scimflow.audit.chain.RecordContent;
import dev.scimflow.audit.chain.TenantChain;
import dev.scimflow.events.ScimEvent;

/**
 * Appends the audit record an event calls for to its tenant's chain: one per deactivation or reactivation, none
 * for any other fact. The tenant's chain head is locked first, so appends of one tenant happen one at a time
 * whatever the number of consumers; under that lock a redelivered or replayed event is found already recorded
 * (or older than what retention removed) and leaves the log unchanged.
 */
@Service
public class RecordDeactivation {

    private static final Logger log = LoggerFactory.getLogger(RecordDeactivation.class);

    private final JdbcClient jdbc;
    private final TenantChain chain;

    RecordDeactivation(JdbcClient jdbc, TenantChain chain) {
        this.jdbc = jdbc;
        this.chain = chain;
    }

    @Transactional
    public void apply(ScimEvent event) {
        DeactivationRecord.of(event).ifPresent(this::append);
    }

    private void append(DeactivationRecord record) {
        ChainHead head = chain.lockHead(record.tenant());
        if (alreadyRecorded(record)) {
            log.info("{} user {} of tenant {} (event {}, change {}, request {}): already recorded", record.action(),
                    record.userId(), record.tenant(), record.eventId(), record.changeId(), record.requestId());
            return;
        }
        if (chain.removedBefore(record.tenant()).filter(record.recordedAt()::isBefore).isPresent()) {
            // a redelivery or replay of an event whose record retention already removed: it stays removed
            log.info("{} user {} of tenant {} (event {}) is older than the tenant's retention cutoff: not recorded",
                    record.action(), record.userId(), record.tenant(), record.eventId());
            return;
        }
        RecordContent content = record.content();
        ChainLink link = head.next(content.hash());
        insert(record, link);
        chain.advance(record.tenant(), link);
        log.info("{} user {} of tenant {} by {} (event {}, change {}, request {}) at chain position {}", record.action(),
                record.userId(), record.tenant(), record.cause(), record.eventId(), record.changeId(),
                record.requestId(), link.seq());
    }

    private boolean alreadyRecorded(DeactivationRecord record) {
        return jdbc.sql("select count(*) from audit.deactivations where event_id = :eventId")
                .param("eventId", record.eventId()).query(Long.class).single() > 0;
    }

    private void insert(DeactivationRecord record, ChainLink link) {
        jdbc.sql("""
                        insert into audit.deactivations (tenant, user_id, user_name, display_name, action, cause,
                            client_name, token_id, request_id, change_id, event_id, changed_at, recorded_at, before,
                            after, chain_seq, previous_hash, content_hash, record_hash)
                        values (:tenant, :userId, :userName, :displayName, :action, :cause, :clientName, :tokenId,
                            :requestId, :changeId, :eventId, :changedAt, :recordedAt, cast(:before as jsonb),
                            cast(:after as jsonb), :seq, :previousHash, :contentHash, :recordHash)""")
                .param("tenant", record.tenant())
                .param("userId", record.userId())
                .param("userName", record.user().userName())
                .param("displayName", record.user().displayName())
                .param("action", record.action().name())
                .param("cause", record.cause().name())
                .param("clientName", record.actor().clientName())
                .param("tokenId", record.actor().tokenId())
                .param("requestId", record.requestId())
                .param("changeId", record.changeId())
                .param("eventId", record.eventId())
                .param("changedAt", OffsetDateTime.ofInstant(record.changedAt(), ZoneOffset.UTC))
                .param("recordedAt", OffsetDateTime.ofInstant(record.recordedAt(), ZoneOffset.UTC))
                .param("before", Objects.toString(record.before(), null))
                .param("after", Objects.toString(record.after(), null))
                .param("seq", link.seq())
                .param("previousHash", link.previousHash())
                .param("contentHash", link.contentHash())
                .param("recordHash", link.recordHash())
                .update();
    }
}
