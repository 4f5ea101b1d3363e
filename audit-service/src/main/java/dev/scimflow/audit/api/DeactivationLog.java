package dev.scimflow.audit.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.scimflow.audit.chain.ChainLink;
import dev.scimflow.events.EventCodec;
import tools.jackson.databind.JsonNode;

/**
 * Reads the audit log for operators: pages newest first (by time of change, then arrival), every entry of a
 * query for export, and single entries with their snapshots and chain link.
 */
@Repository
public class DeactivationLog {

    private static final String COLUMNS = """
            id, tenant, user_id, user_name, display_name, action, cause, client_name, token_id, request_id,
            change_id, event_id, changed_at, recorded_at, trace_id""";
    private static final int EXPORT_BATCH = 500;

    private final JdbcClient jdbc;

    DeactivationLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private record Listed(Deactivation deactivation, PageCursor position) {
    }

    public DeactivationPage page(DeactivationQuery query) {
        List<Listed> listed = select(query, query.limit() + 1);
        boolean more = listed.size() > query.limit();
        List<Listed> items = more ? listed.subList(0, query.limit()) : listed;
        return new DeactivationPage(items.stream().map(Listed::deactivation).toList(), items.size(),
                more ? items.get(items.size() - 1).position().encode() : null);
    }

    /** Every entry the query matches from its cursor on, newest first, read in batches; the limit is ignored. */
    public void forEach(DeactivationQuery query, Consumer<Deactivation> action) {
        DeactivationQuery batch = query;
        while (true) {
            List<Listed> listed = select(batch, EXPORT_BATCH);
            listed.forEach(entry -> action.accept(entry.deactivation()));
            if (listed.size() < EXPORT_BATCH) {
                return;
            }
            batch = batch.startingAfter(listed.get(listed.size() - 1).position());
        }
    }

    /** The entry with this id (the id of the event it records); none for an id that is not ours. */
    public Optional<DeactivationDetail> find(String id) {
        UUID eventId;
        try {
            eventId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return jdbc.sql("select " + COLUMNS + """
                , before, after, chain_seq, previous_hash, content_hash, record_hash, written_at
                 from audit.deactivations where event_id = :eventId""")
                .param("eventId", eventId)
                .query((rs, row) -> new DeactivationDetail(deactivation(rs), json(rs, "before"), json(rs, "after"),
                        new ChainLink(rs.getLong("chain_seq"), rs.getString("previous_hash"),
                                rs.getString("content_hash"), rs.getString("record_hash")),
                        instant(rs, "written_at")))
                .optional();
    }

    private List<Listed> select(DeactivationQuery query, int limit) {
        List<String> conditions = new ArrayList<>(List.of("true"));
        if (query.tenant() != null) {
            conditions.add("tenant = :tenant");
        }
        if (query.userName() != null) {
            conditions.add("lower(user_name) = lower(:userName)");
        }
        if (query.action() != null) {
            conditions.add("action = :action");
        }
        if (query.cause() != null) {
            conditions.add("cause = :cause");
        }
        if (query.clientName() != null) {
            conditions.add("lower(client_name) = lower(:clientName)");
        }
        if (query.from() != null) {
            conditions.add("changed_at >= :from");
        }
        if (query.to() != null) {
            conditions.add("changed_at < :to");
        }
        if (query.after() != null) {
            conditions.add("(changed_at, id) < (:afterChangedAt, :afterId)");
        }
        return jdbc.sql("select " + COLUMNS + " from audit.deactivations where " + String.join(" and ", conditions)
                + " order by changed_at desc, id desc limit :limit")
                .param("tenant", query.tenant())
                .param("userName", query.userName())
                .param("action", query.action() == null ? null : query.action().name())
                .param("cause", query.cause() == null ? null : query.cause().name())
                .param("clientName", query.clientName())
                .param("from", utc(query.from()))
                .param("to", utc(query.to()))
                .param("afterChangedAt", query.after() == null ? null : utc(query.after().changedAt()))
                .param("afterId", query.after() == null ? null : query.after().id())
                .param("limit", limit)
                .query((rs, row) -> new Listed(deactivation(rs), new PageCursor(instant(rs, "changed_at"), rs.getLong("id"))))
                .list();
    }

    private static Deactivation deactivation(ResultSet rs) throws SQLException {
        return new Deactivation(rs.getString("event_id"), rs.getString("tenant"), rs.getString("user_id"),
                rs.getString("user_name"), rs.getString("display_name"), rs.getString("action"), rs.getString("cause"),
                rs.getString("client_name"), rs.getString("token_id"), rs.getString("request_id"),
                rs.getString("change_id"), rs.getString("event_id"),
                instant(rs, "changed_at"), instant(rs, "recorded_at"), rs.getString("trace_id"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static JsonNode json(ResultSet rs, String column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? null : EventCodec.mapper().readTree(value);
    }
}
