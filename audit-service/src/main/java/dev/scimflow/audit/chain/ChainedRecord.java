package dev.scimflow.audit.chain;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

import dev.scimflow.events.EventCodec;
import tools.jackson.databind.JsonNode;

/** A row of the audit log as verification sees it: its content as stored and the link stored with it. */
record ChainedRecord(String eventId, RecordContent content, ChainLink storedLink) {

    static final String COLUMNS = """
            tenant, user_id, user_name, display_name, action, cause, client_name, token_id, request_id, change_id,
            event_id, changed_at, recorded_at, before, after, chain_seq, previous_hash, content_hash, record_hash""";

    static ChainedRecord of(ResultSet rs) throws SQLException {
        RecordContent content = new RecordContent(rs.getString("tenant"), rs.getString("user_id"),
                rs.getString("user_name"), rs.getString("display_name"), rs.getString("action"), rs.getString("cause"),
                rs.getString("client_name"), rs.getString("token_id"), rs.getString("request_id"),
                rs.getString("change_id"), rs.getString("event_id"), instant(rs, "changed_at"),
                instant(rs, "recorded_at"), json(rs, "before"), json(rs, "after"));
        ChainLink link = new ChainLink(rs.getLong("chain_seq"), rs.getString("previous_hash"),
                rs.getString("content_hash"), rs.getString("record_hash"));
        return new ChainedRecord(rs.getString("event_id"), content, link);
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
