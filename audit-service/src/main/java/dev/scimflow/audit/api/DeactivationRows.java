package dev.scimflow.audit.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

import dev.scimflow.events.EventCodec;
import tools.jackson.databind.JsonNode;

/** Maps rows of {@code audit.deactivations} to what operators see; the database id is exposed as a string. */
final class DeactivationRows {

    static final String COLUMNS = """
            id, tenant, user_id, user_name, display_name, action, cause, client_name, token_id, request_id,
            change_id, event_id, changed_at, recorded_at""";

    private DeactivationRows() {
    }

    static Deactivation deactivation(ResultSet rs) throws SQLException {
        return new Deactivation(rs.getString("id"), rs.getString("tenant"), rs.getString("user_id"),
                rs.getString("user_name"), rs.getString("display_name"), rs.getString("action"), rs.getString("cause"),
                rs.getString("client_name"), rs.getString("token_id"), rs.getString("request_id"),
                rs.getString("change_id"), rs.getString("event_id"),
                instant(rs, "changed_at"), instant(rs, "recorded_at"));
    }

    static DeactivationDetail detail(ResultSet rs) throws SQLException {
        return new DeactivationDetail(deactivation(rs), json(rs, "before"), json(rs, "after"));
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
