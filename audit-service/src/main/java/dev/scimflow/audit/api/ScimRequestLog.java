package dev.scimflow.audit.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.scimflow.events.ScimRequest;

/** Reads the tenants' request logs for operators, a page at a time, newest first (by arrival, then by row). */
@Repository
public class ScimRequestLog {

    private final JdbcClient jdbc;

    ScimRequestLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private record Listed(ScimRequest request, PageCursor position) {
    }

    public ScimRequestPage page(ScimRequestQuery query) {
        List<Listed> listed = select(query, query.limit() + 1);
        boolean more = listed.size() > query.limit();
        List<Listed> items = more ? listed.subList(0, query.limit()) : listed;
        return new ScimRequestPage(items.stream().map(Listed::request).toList(), items.size(),
                more ? items.get(items.size() - 1).position().encode() : null);
    }

    private List<Listed> select(ScimRequestQuery query, int limit) {
        List<String> conditions = new ArrayList<>(List.of("true"));
        if (query.tenant() != null) {
            conditions.add("tenant = :tenant");
        }
        if (query.status() != null) {
            conditions.add("status = :status");
        }
        if (query.statusClass() != null) {
            conditions.add("status >= :classFrom and status < :classTo");
        }
        if (query.method() != null) {
            conditions.add("method = :method");
        }
        if (query.requestId() != null) {
            conditions.add("request_id = :requestId");
        }
        if (query.from() != null) {
            conditions.add("at >= :from");
        }
        if (query.to() != null) {
            conditions.add("at < :to");
        }
        if (query.after() != null) {
            conditions.add("(at, id) < (:afterAt, :afterId)");
        }
        int statusClass = query.statusClass() == null ? 0 : query.statusClass();
        return jdbc.sql("""
                select id, tenant, at, client, method, path, status, scim_type, detail, latency_ms, request_id
                  from audit.scim_requests where """ + " " + String.join(" and ", conditions)
                + " order by at desc, id desc limit :limit")
                .param("tenant", query.tenant())
                .param("status", query.status())
                .param("classFrom", statusClass * 100)
                .param("classTo", statusClass * 100 + 100)
                .param("method", query.method())
                .param("requestId", query.requestId())
                .param("from", utc(query.from()))
                .param("to", utc(query.to()))
                .param("afterAt", query.after() == null ? null : utc(query.after().changedAt()))
                .param("afterId", query.after() == null ? null : query.after().id())
                .param("limit", limit)
                .query((rs, row) -> new Listed(request(rs), new PageCursor(instant(rs, "at"), rs.getLong("id"))))
                .list();
    }

    private static ScimRequest request(ResultSet rs) throws SQLException {
        return new ScimRequest(rs.getString("tenant"), instant(rs, "at"), rs.getString("client"), rs.getString("method"),
                rs.getString("path"), rs.getInt("status"), rs.getString("scim_type"), rs.getString("detail"),
                rs.getLong("latency_ms"), rs.getString("request_id"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
