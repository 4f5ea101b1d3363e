package dev.scimflow.audit.recording;

import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.scimflow.audit.chain.ChainHead;
import dev.scimflow.audit.chain.ChainLink;
import dev.scimflow.audit.chain.TenantChain;
import dev.scimflow.events.ScimEvent;

/**
 * Appends audit records to their tenants' chains, any number in one transaction: one record per deactivation or
 * reactivation, none for any other fact. The chain heads of the tenants involved are locked first (in one order, see
 * {@link TenantChain#lockHeads}), so appends of one tenant happen one at a time whatever the number of consumers. Under
 * those locks an event already recorded (redelivered, replayed, rewound, or twice in the same batch) or older than what
 * retention removed leaves the log unchanged; the others are linked in the order given, inserted in one JDBC batch, and
 * each head moves once.
 */
@Service
public class RecordActivationChanges {

    private static final Logger log = LoggerFactory.getLogger(RecordActivationChanges.class);

    private static final String INSERT = """
            insert into audit.deactivations (tenant, user_id, user_name, display_name, action, cause, client_name,
                token_id, request_id, change_id, event_id, changed_at, recorded_at, before, after, chain_seq,
                previous_hash, content_hash, record_hash, trace_id)
            values (:tenant, :userId, :userName, :displayName, :action, :cause, :clientName, :tokenId, :requestId,
                :changeId, :eventId, :changedAt, :recordedAt, cast(:before as jsonb), cast(:after as jsonb), :seq,
                :previousHash, :contentHash, :recordHash, :traceId)""";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batches;
    private final TenantChain chain;

    RecordActivationChanges(JdbcClient jdbc, NamedParameterJdbcTemplate batches, TenantChain chain) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.chain = chain;
    }

    /** Records what the event calls for, in a transaction of its own. */
    @Transactional
    public void apply(ScimEvent event) {
        DeactivationRecord.of(event).ifPresent(record -> appendAll(List.of(record)));
    }

    /** Appends the records not recorded yet, each tenant's in the order given, in one transaction; returns those appended. */
    @Transactional
    List<DeactivationRecord> appendAll(List<DeactivationRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        List<String> tenants = records.stream().map(DeactivationRecord::tenant).distinct().toList();
        SortedMap<String, ChainHead> heads = chain.lockHeads(tenants);
        Set<UUID> recorded = alreadyRecorded(records);
        Map<String, Instant> removedBefore = chain.removedBefore(tenants);

        Map<String, ChainLink> newest = new LinkedHashMap<>();
        List<MapSqlParameterSource> rows = new ArrayList<>();
        List<DeactivationRecord> appended = new ArrayList<>();
        for (DeactivationRecord record : records) {
            if (!recorded.add(record.eventId())) {
                log.debug("{} user {} of tenant {} (event {}, change {}, request {}): already recorded", record.action(),
                        record.userId(), record.tenant(), record.eventId(), record.changeId(), record.requestId());
                continue;
            }
            Instant cutoff = removedBefore.get(record.tenant());
            if (cutoff != null && record.recordedAt().isBefore(cutoff)) {
                // a redelivery or replay of an event whose record retention already removed: it stays removed
                log.debug("{} user {} of tenant {} (event {}) is older than the tenant's retention cutoff: not recorded",
                        record.action(), record.userId(), record.tenant(), record.eventId());
                continue;
            }
            ChainHead head = newest.containsKey(record.tenant()) ? newest.get(record.tenant()).asHead() : heads.get(record.tenant());
            ChainLink link = head.next(record.content().hash());
            newest.put(record.tenant(), link);
            rows.add(row(record, link));
            appended.add(record);
            if (log.isDebugEnabled()) {
                log.debug("{} user {} of tenant {} by {} (event {}, change {}, request {}) at chain position {}",
                        record.action(), record.userId(), record.tenant(), record.cause(), record.eventId(),
                        record.changeId(), record.requestId(), link.seq());
            }
        }
        if (!rows.isEmpty()) {
            batches.batchUpdate(INSERT, rows.toArray(MapSqlParameterSource[]::new));
            chain.advance(newest);
        }
        return appended;
    }

    private Set<UUID> alreadyRecorded(List<DeactivationRecord> records) {
        return new HashSet<>(jdbc.sql("select event_id from audit.deactivations where event_id = any(:eventIds)")
                .param("eventIds", new SqlArrayValue("uuid", records.stream().map(DeactivationRecord::eventId).distinct().toArray()))
                .query(UUID.class).list());
    }

    /** The row's values; those that may be null are typed, so that the driver needs no round trip to learn the type. */
    private static MapSqlParameterSource row(DeactivationRecord record, ChainLink link) {
        return new MapSqlParameterSource()
                .addValue("tenant", record.tenant())
                .addValue("userId", record.userId())
                .addValue("userName", record.user().userName(), Types.VARCHAR)
                .addValue("displayName", record.user().displayName(), Types.VARCHAR)
                .addValue("action", record.action().name())
                .addValue("cause", record.cause().name())
                .addValue("clientName", record.actor().clientName(), Types.VARCHAR)
                .addValue("tokenId", record.actor().tokenId(), Types.VARCHAR)
                .addValue("requestId", record.requestId(), Types.VARCHAR)
                .addValue("changeId", record.changeId(), Types.OTHER)
                .addValue("eventId", record.eventId())
                .addValue("changedAt", OffsetDateTime.ofInstant(record.changedAt(), ZoneOffset.UTC))
                .addValue("recordedAt", OffsetDateTime.ofInstant(record.recordedAt(), ZoneOffset.UTC))
                .addValue("before", Objects.toString(record.before(), null), Types.VARCHAR)
                .addValue("after", Objects.toString(record.after(), null), Types.VARCHAR)
                .addValue("seq", link.seq())
                .addValue("previousHash", link.previousHash())
                .addValue("contentHash", link.contentHash())
                .addValue("recordHash", link.recordHash())
                .addValue("traceId", record.traceId(), Types.VARCHAR);
    }
}
